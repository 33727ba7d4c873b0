"""The annotation layer: tools, text selection, undo/redo, saving to the store.

Every finished mark is saved at once (entity and outbox in one transaction,
on the DB worker through ``ctx.ops``), so a crash loses nothing already
drawn. Undo and redo are ``QUndoStack`` commands that save the state they
restore; an undone creation is a tombstone, a redone one is live again.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QGraphicsItem, QInputDialog

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    DocumentVersionId,
    Visibility,
    new_id,
)
from meetingroom.pdf import PageText, RenderService, Word
from meetingroom.store import Store
from ui.context import UiContext
from ui.reader import textsel
from ui.reader.bridge import RenderBridge
from ui.reader.marks import (
    NOTE_SIZE,
    TEXT_KINDS,
    AnnotationItem,
    InkDraft,
    RectsItem,
    bounds,
    translated,
)
from ui.reader.view import DocumentView

COLOURS: tuple[tuple[str, str], ...] = (
    ("reader_colour_yellow", "#ffd400"),
    ("reader_colour_green", "#7ed957"),
    ("reader_colour_blue", "#5ab4ff"),
    ("reader_colour_pink", "#ff7eb6"),
    ("reader_colour_red", "#e53935"),
)
SELECTION_COLOUR = QColor(30, 110, 220, 70)
FREETEXT_SIZE = (180.0, 48.0)


class Tool(enum.StrEnum):
    SELECT = "select"
    HIGHLIGHT = "highlight"
    UNDERLINE = "underline"
    STRIKEOUT = "strikeout"
    INK = "ink"
    NOTE = "note"
    FREETEXT = "freetext"


def save_annotation(store: Store, annotation: Annotation) -> services.Changes:
    """Save ``annotation`` on top of the stored revision (runs on the DB worker).

    The revision the reader holds may be older than the stored one (a sync
    ran meanwhile); saving on the stored revision keeps the outbox's base
    right. Returns the change summary. Raises: as ``services.save``.
    """
    stored = store.repos.annotations.find(annotation.id, include_deleted=True)
    rev = stored.rev if stored is not None else annotation.rev
    return services.save(store, annotation.touched(rev=rev))


class ChangeCommand(QUndoCommand):
    """One annotation going from ``before`` to ``after`` (None: absent)."""

    def __init__(
        self, layer: AnnotationLayer, before: Annotation | None, after: Annotation | None
    ) -> None:
        super().__init__()
        self.layer = layer
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.layer.apply(self.after, self.before)

    def undo(self) -> None:
        self.layer.apply(self.before, self.after)


class AnnotationLayer(QObject):
    """Owns the annotation items of one open document version.

    Signals: ``changed()`` after any annotation changed (the panel refreshes),
    ``message(str)`` for the status line, ``selection_changed()``.
    """

    changed = Signal()
    message = Signal(str)
    selection_changed = Signal()

    def __init__(
        self,
        ctx: UiContext,
        view: DocumentView,
        service: RenderService,
        bridge: RenderBridge,
        version_id: DocumentVersionId,
        *,
        can_copy: bool = True,
        clipboard: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(view)
        self.ctx = ctx
        self.view = view
        self.service = service
        self.bridge = bridge
        self.version_id = version_id
        self.can_copy = can_copy
        self.clipboard = clipboard
        self.tool = Tool.SELECT
        self.colour = COLOURS[0][1]
        self.undo_stack = QUndoStack(self)
        self.annotations: dict[str, Annotation] = {}
        self.items: dict[str, AnnotationItem] = {}
        self.words: dict[int, tuple[Word, ...]] = {}
        self._asked_words: set[int] = set()
        self.saves_in_flight = 0
        # the gesture in progress
        self._press: tuple[int, QPointF] | None = None
        self._ink: InkDraft | None = None
        self._finish_on_words: tuple[int, QPointF, QPointF] | None = None
        # the text selection
        self.selection_page = -1
        self.selection_words: list[Word] = []
        self._selection_item: RectsItem | None = None
        self._moving: dict[str, QPointF] = {}
        view.mouse_handler = self
        view.scene().selectionChanged.connect(self.selection_changed)

    # -- loading -------------------------------------------------------------------

    def show_annotations(self, annotations: list[Annotation]) -> None:
        """Put the stored annotations on their pages (after the document is laid out)."""
        for item in self.items.values():
            self.view.scene().removeItem(item)
        self.items.clear()
        self.annotations = {a.id: a for a in annotations if not a.deleted}
        for annotation in self.annotations.values():
            self._place(annotation)
        self.changed.emit()

    def editable(self, annotation: Annotation) -> bool:
        return annotation.author_id == self.ctx.user_id

    def _place(self, annotation: Annotation) -> None:
        if not 0 <= annotation.page < self.view.page_count():
            return  # an annotation on a page this file does not have: kept, not shown
        item = AnnotationItem(annotation, self.editable(annotation))
        item.setParentItem(self.view.pages[annotation.page])
        self.items[annotation.id] = item

    # -- applying changes (used by the undo commands) ----------------------------------

    def apply(self, state: Annotation | None, other: Annotation | None) -> None:
        """Show and save ``state``; None removes ``other`` (saved as a tombstone)."""
        if state is None:
            assert other is not None
            self.annotations.pop(other.id, None)
            item = self.items.pop(other.id, None)
            if item is not None:
                self.view.scene().removeItem(item)
            self._save(other.tombstoned())
        else:
            live = state.touched(deleted=False)
            self.annotations[live.id] = live
            item = self.items.get(live.id)
            if item is None:
                self._place(live)
            else:
                item.set_annotation(live)
            self._save(live)
        self.changed.emit()

    def _save(self, annotation: Annotation) -> None:
        self.saves_in_flight += 1

        def done(_result: object) -> None:
            self.saves_in_flight -= 1

        def failed(error: BaseException) -> None:
            self.saves_in_flight -= 1
            self.ctx.ops.reporter.report(error)

        self.ctx.ops.query(self, lambda store: save_annotation(store, annotation), done, failed)

    def push(self, before: Annotation | None, after: Annotation | None, label: str) -> None:
        """Apply a change through the undo stack (so it can be undone)."""
        command = ChangeCommand(self, before, after)
        command.setText(label)
        self.undo_stack.push(command)

    def create(
        self,
        page: int,
        kind: AnnotationKind,
        geometry: tuple[tuple[float, ...], ...],
        text: str = "",
    ) -> Annotation:
        """Create, show and save a new private annotation; return it."""
        annotation = Annotation(
            AnnotationId(new_id()),
            self.version_id,
            page,
            kind,
            geometry,
            self.ctx.user_id,
            colour=self.colour,
            text=text,
            visibility=Visibility.PRIVATE,
        )
        self.push(None, annotation, self.ctx.tr(f"reader_kind_{kind.value}"))
        return annotation

    def edit(self, annotation: Annotation, **changes: object) -> None:
        """Change fields of one of the user's annotations (undoable)."""
        if not self.editable(annotation):
            return
        self.push(annotation, annotation.touched(**changes), self.ctx.tr("reader_edit_text"))

    def delete(self, annotation: Annotation) -> None:
        if self.editable(annotation):
            self.push(annotation, None, self.ctx.tr("reader_delete"))

    def selected(self) -> list[Annotation]:
        """Return the selected annotations (in the scene)."""
        return [
            item.annotation
            for item in self.items.values()
            if item.isSelected() and item.annotation.id in self.annotations
        ]

    def delete_selected(self) -> None:
        for annotation in self.selected():
            self.delete(annotation)

    def set_colour(self, colour: str) -> None:
        """Use ``colour`` for new marks and recolour the selected ones."""
        self.colour = colour
        for annotation in self.selected():
            if annotation.colour != colour:
                self.edit(annotation, colour=colour)

    def set_shared(self, shared: bool) -> None:
        visibility = Visibility.SHARED if shared else Visibility.PRIVATE
        for annotation in self.selected():
            if annotation.visibility != visibility:
                self.edit(annotation, visibility=visibility)

    def select(self, annotation_id: str) -> None:
        """Select one annotation and scroll it into view."""
        item = self.items.get(annotation_id)
        if item is None:
            return
        self.view.scene().clearSelection()
        item.setSelected(True)
        self.view.show_rect(item.annotation.page, bounds(item.annotation))

    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        self.clear_selection()
        movable = tool == Tool.SELECT
        for item in self.items.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable and item.editable)
        cursor = Qt.CursorShape.ArrowCursor if movable else Qt.CursorShape.CrossCursor
        if tool in (Tool.HIGHLIGHT, Tool.UNDERLINE, Tool.STRIKEOUT):
            cursor = Qt.CursorShape.IBeamCursor
        self.view.viewport().setCursor(cursor)

    # -- words of a page --------------------------------------------------------------

    def request_words(self, page: int) -> None:
        """Ask the worker for a page's words once (for snapping and selection)."""
        if page in self.words or page in self._asked_words:
            return
        self._asked_words.add(page)
        self.bridge.watch(
            self.service.page_text(self.version_id, page),
            self,
            self._words_arrived,
            partial(self._words_failed, page),
        )

    def _words_failed(self, page: int, _error: BaseException) -> None:
        self._asked_words.discard(page)  # asked again on the next press

    def _words_arrived(self, text: PageText) -> None:
        self.words[text.page] = text.words
        pending = self._finish_on_words
        if pending is not None and pending[0] == text.page:
            self._finish_on_words = None
            self._finish_text(*pending)

    # -- mouse ------------------------------------------------------------------------

    def press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        hit = self.view.page_at(event.position())
        if self.tool == Tool.SELECT:
            under = self.view.items(event.position().toPoint())
            # The watermark and search hits lie above the marks; look through them.
            item = next((i for i in under if isinstance(i, AnnotationItem)), None)
            if item is not None:
                self._moving = {
                    i.annotation.id: i.pos() for i in self.items.values() if i.isSelected()
                }
                self._moving[item.annotation.id] = item.pos()
                return False  # the scene selects and moves it
            self.view.scene().clearSelection()
            self.clear_selection()
        if hit is None:
            return self.tool != Tool.SELECT
        page, point = hit
        self._press = (page, point)
        if self.tool in (Tool.SELECT, Tool.HIGHLIGHT, Tool.UNDERLINE, Tool.STRIKEOUT):
            self.request_words(page)
        elif self.tool == Tool.INK:
            self._ink = InkDraft(self.colour, point)
            self._ink.setParentItem(self.view.pages[page])
        return True

    def move(self, event: QMouseEvent) -> bool:
        if self._press is None:
            return False
        page, start = self._press
        point = self._local(page, event.position())
        if self.tool == Tool.INK and self._ink is not None:
            self._ink.add(point)
        elif self.tool in (Tool.SELECT, Tool.HIGHLIGHT, Tool.UNDERLINE, Tool.STRIKEOUT):
            words = self.words.get(page)
            if words:
                self._show_selection(page, textsel.span(words, _xy(start), _xy(point)))
        return True

    def release(self, event: QMouseEvent) -> bool:
        if self._press is None:
            if self._moving:
                self._finish_move()
            return False
        page, start = self._press
        self._press = None
        end = self._local(page, event.position())
        if self.tool == Tool.INK:
            self._finish_ink(page)
        elif self.tool in (Tool.SELECT, Tool.HIGHLIGHT, Tool.UNDERLINE, Tool.STRIKEOUT):
            if page in self.words:
                self._finish_text(page, start, end)
            else:
                self._finish_on_words = (page, start, end)
        elif self.tool == Tool.NOTE:
            x, y = end.x(), end.y()
            geometry = ((x, y, x + NOTE_SIZE, y + NOTE_SIZE),)
            self.ask_text(lambda text: self.create(page, AnnotationKind.NOTE, geometry, text))
        elif self.tool == Tool.FREETEXT:
            x0, y0 = min(start.x(), end.x()), min(start.y(), end.y())
            x1, y1 = max(start.x(), end.x()), max(start.y(), end.y())
            if x1 - x0 < 20 or y1 - y0 < 10:
                x1, y1 = x0 + FREETEXT_SIZE[0], y0 + FREETEXT_SIZE[1]
            geometry = ((x0, y0, x1, y1),)
            self.ask_text(lambda text: self.create(page, AnnotationKind.FREETEXT, geometry, text))
        return True

    def double_click(self, event: QMouseEvent) -> bool:
        """Double-click on a note or free text (select tool): edit its text."""
        if self.tool != Tool.SELECT:
            return False
        under = self.view.items(event.position().toPoint())
        item = next((i for i in under if isinstance(i, AnnotationItem)), None)
        if item is None or not item.editable:
            return False
        if item.annotation.kind not in (AnnotationKind.NOTE, AnnotationKind.FREETEXT):
            return False
        self.ask_text(partial(self._set_text, item.annotation), item.annotation.text)
        return True

    def _local(self, page: int, view_pos: QPointF) -> QPointF:
        return self.view.pages[page].mapFromScene(self.view.mapToScene(view_pos.toPoint()))

    def _finish_ink(self, page: int) -> None:
        draft, self._ink = self._ink, None
        if draft is None:
            return
        self.view.scene().removeItem(draft)
        stroke = tuple(round(v, 2) for p in draft.points for v in (p.x(), p.y()))
        if len(draft.points) >= 2:
            self.create(page, AnnotationKind.INK, (stroke,))

    def _finish_text(self, page: int, start: QPointF, end: QPointF) -> None:
        words = textsel.span(self.words.get(page, ()), _xy(start), _xy(end))
        if self.tool == Tool.SELECT:
            self._show_selection(page, words)
            return
        self.clear_selection()
        if not words:
            return
        kind = AnnotationKind(self.tool.value)
        assert kind in TEXT_KINDS
        rects = tuple(tuple(round(v, 2) for v in r) for r in textsel.line_rects(words))
        self.create(page, kind, rects, textsel.text_of(words))

    def _finish_move(self) -> None:
        moving, self._moving = self._moving, {}
        for annotation_id, before in moving.items():
            item = self.items.get(annotation_id)
            if item is None:
                continue
            delta = item.pos() - before
            if abs(delta.x()) < 0.5 and abs(delta.y()) < 0.5:
                continue
            old = item.annotation
            new = old.touched(geometry=translated(old, delta.x(), delta.y()))
            self.push(old, new, self.ctx.tr("reader_tool_select"))

    def ask_text(self, then: Callable[[str], object], initial: str = "") -> QInputDialog:
        """Ask for a note's text in a window-modal dialog (never blocks); call ``then``."""
        dialog = QInputDialog(self.view.window())
        dialog.setObjectName("readerTextDialog")
        dialog.setWindowTitle(self.ctx.tr("reader_tool_note"))
        dialog.setLabelText(self.ctx.tr("reader_note_prompt"))
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput, True)
        dialog.setTextValue(initial)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(then)
        dialog.open()
        return dialog

    def edit_text_of_selected(self) -> None:
        for annotation in self.selected():
            if annotation.kind in (AnnotationKind.NOTE, AnnotationKind.FREETEXT):
                self.ask_text(partial(self._set_text, annotation), annotation.text)
                return

    def _set_text(self, annotation: Annotation, text: str) -> None:
        current = self.annotations.get(annotation.id)  # it may have moved meanwhile
        if current is not None and current.text != text:
            self.edit(current, text=text)

    # -- text selection and copy ---------------------------------------------------------

    def _show_selection(self, page: int, words: list[Word]) -> None:
        self.selection_page = page
        self.selection_words = words
        rects = [QRectF(r[0], r[1], r[2] - r[0], r[3] - r[1]) for r in textsel.line_rects(words)]
        item = self._selection_item
        if item is None or item.parentItem() is not self.view.pages[page]:
            if item is not None:
                self.view.scene().removeItem(item)
            item = RectsItem(rects, SELECTION_COLOUR)
            item.setParentItem(self.view.pages[page])
            self._selection_item = item
        else:
            item.set_rects(rects)
        self.selection_changed.emit()

    def clear_selection(self) -> None:
        if self._selection_item is not None:
            self.view.scene().removeItem(self._selection_item)
            self._selection_item = None
        self.selection_words = []
        self.selection_page = -1

    def selected_text(self) -> str:
        return textsel.text_of(self.selection_words)

    def copy(self) -> bool:
        """Copy the selected text, unless policy forbids it (then say so). Return True if copied."""
        if not self.selection_words:
            return False
        if not self.can_copy:
            self.message.emit(self.ctx.tr("reader_copy_forbidden"))
            return False
        if self.clipboard is not None:
            self.clipboard(self.selected_text())
        self.message.emit(self.ctx.tr("reader_copied"))
        return True

    def mark_selection(self, kind: AnnotationKind) -> None:
        """Turn the current text selection into a highlight/underline/strikeout."""
        if not self.selection_words:
            return
        page, words = self.selection_page, self.selection_words
        rects = tuple(tuple(round(v, 2) for v in r) for r in textsel.line_rects(words))
        self.clear_selection()
        self.create(page, kind, rects, textsel.text_of(words))

    def clear(self) -> None:
        """Forget everything shown (document closed or app locked)."""
        self.undo_stack.clear()
        self.clear_selection()
        self.annotations.clear()
        self.items.clear()
        self.words.clear()


def _xy(point: QPointF) -> tuple[float, float]:
    return point.x(), point.y()
