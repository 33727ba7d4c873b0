"""The reader screen: toolbar, side panels, the page view and the annotation layer.

Opening a document starts two things at once: the worker opens and renders
the first page (at fit width, before the layout is known, so the first page
shows as early as possible), and the DB worker reads the annotations, the
classification and the watermark's parts. Nothing here renders, decrypts or
parses on the GUI thread.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from meetingroom import errors
from meetingroom.domain import AnnotationKind, DocumentVersionId, Visibility
from meetingroom.pdf import DocumentInfo, RenderService
from meetingroom.store.gateway import Store
from ui import policy_texts  # noqa: F401  registers policy_lease_expired
from ui.context import UiContext
from ui.reader import texts as _texts  # noqa: F401  (registers the reader's texts)
from ui.reader.bridge import RenderBridge, to_image
from ui.reader.data import ReaderData, load_reader_data, watermark_text
from ui.reader.layer import COLOURS, AnnotationLayer, Tool
from ui.reader.marks import WatermarkItem
from ui.reader.permissions import ReaderPermissions
from ui.reader.search import SearchBar
from ui.reader.sidebar import AnnotationPanel, Outline, Thumbnails
from ui.reader.texts import TEXTS
from ui.reader.view import MARGIN_PX, DocumentView

ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
TOOL_KEYS = {
    Tool.SELECT: ("reader_tool_select", "V"),
    Tool.HIGHLIGHT: ("reader_tool_highlight", "H"),
    Tool.UNDERLINE: ("reader_tool_underline", "U"),
    Tool.STRIKEOUT: ("reader_tool_strikeout", "K"),
    Tool.INK: ("reader_tool_ink", "P"),
    Tool.NOTE: ("reader_tool_note", "N"),
    Tool.FREETEXT: ("reader_tool_freetext", "T"),
}


def error_text(error: BaseException) -> tuple[str, dict[str, object]]:
    """Return the text key (and its values) for a failure to open or render a document."""
    if isinstance(error, errors.LeaseExpired):
        return "policy_lease_expired", {"hours": f"{error.hours:g}"}
    if isinstance(error, errors.DocumentPasswordProtected):
        return "reader_err_password", {}
    if isinstance(error, errors.DocumentUnreadable):
        return "reader_err_unreadable", {}
    if isinstance(error, errors.IncompleteDocument):
        return "reader_err_incomplete", {}
    if isinstance(error, errors.Tampered):
        return "reader_err_tampered", {}
    if isinstance(error, errors.RenderTimeout):
        return "reader_err_timeout", {}
    if isinstance(error, errors.RenderFailed):
        return "reader_err_failed", {}
    return "reader_err_other", {}


class ReaderScreen(QWidget):
    """One document version. ``back`` returns to the meeting; ``open_version(id)``
    asks the app to open another version of the same document."""

    back = Signal()
    open_version = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        service: RenderService,
        version_id: str,
        permissions: ReaderPermissions | None = None,
        *,
        page: int = 0,
        query: str | None = None,
        gate: Callable[[Store], ReaderPermissions] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerScreen")
        self.ctx = ctx
        self.service = service
        self.version_id = DocumentVersionId(version_id)
        self.permissions = permissions or ReaderPermissions()
        # Run on the DB worker before the document is opened at all: returns
        # what the policy allows for this document, or raises (LeaseExpired)
        # to keep it closed.
        self._gate = gate
        self.start_page = page
        self.query = query
        self.data: ReaderData | None = None
        self._data_requested = False
        self.info: DocumentInfo | None = None
        self.error: BaseException | None = None
        self.watermark: str | None = None
        tr = ctx.tr
        self.bridge = RenderBridge(self)
        self.view = DocumentView(service, self.bridge)
        self.view.setAccessibleName(tr("reader_view"))
        self.view.render_failed.connect(self._render_failed)
        self.layer = AnnotationLayer(
            ctx,
            self.view,
            service,
            self.bridge,
            self.version_id,
            can_copy=self.permissions.copy,
            clipboard=lambda text: QGuiApplication.clipboard().setText(text),
        )
        self.layer.changed.connect(self._annotations_changed)
        self.layer.message.connect(self.show_message)
        self.layer.selection_changed.connect(self._selection_changed)

        # -- toolbar -----------------------------------------------------------
        bar = QToolBar()
        bar.setObjectName("readerToolbar")
        bar.setMovable(False)
        self.toolbar = bar
        self.export_button: QToolButton | None = None
        back = QPushButton(tr("reader_back"))
        back.setObjectName("readerBack")
        back.setToolTip(tr.other("reader_back") + " (Esc)")
        back.clicked.connect(self.back)
        bar.addWidget(back)
        bar.addSeparator()
        self.page_box = QSpinBox()
        self.page_box.setObjectName("readerPageBox")
        self.page_box.setAccessibleName(tr("reader_page_box"))
        self.page_box.setToolTip(f"{tr('reader_goto')} (Ctrl+G)")
        self.page_box.setRange(1, 1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda n: self.view.go_to_page(n - 1))
        self.page_total = QLabel(tr("reader_page_of", count="…"))
        bar.addWidget(QLabel(tr("reader_page_box") + " "))
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_total)
        bar.addSeparator()
        self._add_action(bar, "−", "reader_zoom_out", "Ctrl+-", self.zoom_out)
        self.zoom_box = QComboBox()
        self.zoom_box.setObjectName("readerZoom")
        self.zoom_box.setAccessibleName(tr("reader_zoom_box"))
        self.zoom_box.setToolTip(tr("reader_zoom_box"))
        self.zoom_box.addItem(tr("reader_fit_width"), "width")
        self.zoom_box.addItem(tr("reader_fit_page"), "page")
        for step in ZOOM_STEPS:
            self.zoom_box.addItem(f"{round(step * 100)} %", step)
        self.zoom_box.activated.connect(self._zoom_chosen)
        bar.addWidget(self.zoom_box)
        self._add_action(bar, "+", "reader_zoom_in", "Ctrl++", self.zoom_in)
        self._add_action(bar, "↔", "reader_fit_width", "Ctrl+0", self.view.fit_width)
        self._add_action(bar, "⛶", "reader_fit_page", "Ctrl+9", self.view.fit_page)
        bar.addSeparator()
        if importlib.util.find_spec("meetingroom.export") is not None:
            self._add_export(bar)
        bar.addWidget(self._spacer())
        self.search = SearchBar(tr, service, self.bridge, self.view)
        bar.addWidget(self.search)
        # The second row: the annotation tools.
        bar = QToolBar()
        bar.setObjectName("readerTools")
        bar.setMovable(False)
        self.tools_bar = bar
        self.tool_actions: dict[Tool, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for tool, (key, shortcut) in TOOL_KEYS.items():
            action = QAction(tr(key), self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{tr(key)} / {tr.other(key)} ({shortcut})")
            action.triggered.connect(lambda _checked=False, tool=tool: self.set_tool(tool))
            group.addAction(action)
            bar.addAction(action)
            self.addAction(action)
            self.tool_actions[tool] = action
        self.tool_actions[Tool.SELECT].setChecked(True)
        self.colour_box = QComboBox()
        self.colour_box.setObjectName("readerColour")
        self.colour_box.setAccessibleName(tr("reader_colour"))
        self.colour_box.setToolTip(tr("reader_colour"))
        for key, colour in COLOURS:
            self.colour_box.addItem(f"■ {tr(key)}", colour)
            self.colour_box.setItemData(
                self.colour_box.count() - 1, _qcolor(colour), Qt.ItemDataRole.ForegroundRole
            )
        self.colour_box.activated.connect(
            lambda i: self.layer.set_colour(str(self.colour_box.itemData(i)))
        )
        bar.addWidget(self.colour_box)
        bar.addSeparator()
        undo = self.layer.undo_stack.createUndoAction(self, tr("reader_undo"))
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        undo.setToolTip(f"{tr('reader_undo')} (Ctrl+Z)")
        redo = self.layer.undo_stack.createRedoAction(self, tr("reader_redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setToolTip(f"{tr('reader_redo')} (Ctrl+Shift+Z)")
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            bar.addAction(action)
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo
        self.delete_action = self._add_action(
            bar, "🗑", "reader_delete", "Delete", self.layer.delete_selected
        )
        self.share_action = QAction(tr("reader_share"), self)
        self.share_action.setCheckable(True)
        self.share_action.setToolTip(f"{tr('reader_share')} / {tr.other('reader_share')}")
        self.share_action.triggered.connect(self.layer.set_shared)
        bar.addAction(self.share_action)
        self._selection_changed()

        # -- banner, body, error --------------------------------------------------
        self.banner = QLabel()
        self.banner.setObjectName("readerBanner")
        self.banner.setWordWrap(True)
        self.banner_button = QPushButton()
        self.banner_button.setObjectName("readerBannerButton")
        self.banner_button.clicked.connect(self._banner_clicked)
        self._banner_target: str | None = None
        banner_row = QWidget()
        banner_row.setObjectName("readerBannerRow")
        banner_row.setStyleSheet("#readerBannerRow { background: #fff8e1; }")
        row = QHBoxLayout(banner_row)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.banner, 1)
        row.addWidget(self.banner_button)
        banner_row.setVisible(False)
        self.banner_row = banner_row

        self.thumbnails = Thumbnails(tr, service, self.bridge)
        self.thumbnails.page_chosen.connect(self.view.go_to_page)
        self.outline = Outline(tr)
        self.outline.page_chosen.connect(self.view.go_to_page)
        side = QTabWidget()
        side.setObjectName("readerSide")
        side.addTab(self.thumbnails, tr("reader_thumbnails"))
        side.addTab(self.outline, tr("reader_outline"))
        side.setTabToolTip(0, tr.other("reader_thumbnails"))
        side.setTabToolTip(1, tr.other("reader_outline"))
        self.panel = AnnotationPanel(tr, ctx.user_id)
        self.panel.annotation_chosen.connect(self.layer.select)
        panel_box = QWidget()
        panel_layout = QVBoxLayout(panel_box)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_title = QLabel(f"<b>{tr('reader_panel')}</b>")
        panel_title.setToolTip(tr.other("reader_panel"))
        panel_layout.addWidget(panel_title)
        panel_layout.addWidget(self.panel, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(side)
        body.addWidget(self.view)
        body.addWidget(panel_box)
        body.setStretchFactor(0, 0)
        body.setStretchFactor(1, 1)
        body.setStretchFactor(2, 0)
        body.setSizes([170, 900, 230])
        self.body = body

        self.error_label = QLabel()
        self.error_label.setObjectName("readerError")
        self.error_label.setWordWrap(True)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label.setStyleSheet("font-size: 15px; padding: 40px;")
        self.pages_stack = QStackedWidget()
        self.pages_stack.addWidget(body)
        self.pages_stack.addWidget(self.error_label)

        self.status = QLabel(tr("reader_loading"))
        self.status.setObjectName("readerStatus")
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(6000)
        self._status_timer.timeout.connect(self._status_idle)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tools_bar)
        layout.addWidget(banner_row)
        layout.addWidget(self.pages_stack, 1)
        layout.addWidget(self.status)

        shortcuts: list[tuple[QKeySequence, Callable[[], object]]] = [
            (QKeySequence("Ctrl+F"), self.search.focus),
            (QKeySequence("Ctrl+G"), self._focus_page_box),
            (QKeySequence("Escape"), self.back.emit),
            (QKeySequence("Ctrl+C"), self.layer.copy),
            (QKeySequence("Ctrl+="), self.zoom_in),
        ]
        for sequence, slot in shortcuts:
            quick = QShortcut(sequence, self)
            quick.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            quick.activated.connect(slot)
        self.view.current_page_changed.connect(self._page_changed)
        self.view.zoom_changed.connect(self._zoom_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.setTabOrder(back, self.page_box)
        self.setTabOrder(self.page_box, self.zoom_box)
        self.setTabOrder(self.zoom_box, self.search.field)
        self.setTabOrder(self.search.field, self.view)
        self.setTabOrder(self.view, self.panel)

    def _add_action(
        self,
        bar: QToolBar,
        text: str,
        key: str,
        shortcut: str,
        slot: Callable[[], object],
    ) -> QAction:
        tr = self.ctx.tr
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        label = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tr(key)} / {tr.other(key)} ({label})")
        action.setText(text)
        action.setIconText(text)
        action.triggered.connect(slot)
        bar.addAction(action)
        self.addAction(action)
        widget = bar.widgetForAction(action)
        if widget is not None:
            widget.setAccessibleName(tr(key))
        return action

    def _spacer(self) -> QWidget:
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return spacer

    # -- opening ---------------------------------------------------------------------

    def load(self) -> None:
        """Check the gate (if any), then open the document in its worker and read its
        store data (all in the background)."""
        gate = self._gate
        if gate is None:
            self._open()
        else:
            self.ctx.ops.query(self, gate, self._gate_passed, self._open_failed)

    def _gate_passed(self, permissions: ReaderPermissions) -> None:
        self.set_permissions(permissions)
        self._open()

    def set_permissions(self, permissions: ReaderPermissions) -> None:
        """Apply what the policy allows (copy, export) to the open reader."""
        self.permissions = permissions
        self.layer.can_copy = permissions.copy
        if self.export_button is not None:
            tr = self.ctx.tr
            self.export_button.setEnabled(permissions.export)
            self.export_button.setToolTip(
                tr("reader_export") if permissions.export else tr("reader_export_forbidden")
            )

    def _open(self) -> None:
        width = max(200, self.view.viewport().width() - 2 * MARGIN_PX)
        dpr = float(self.view.devicePixelRatioF())
        page = max(0, self.start_page)
        # First page at fit width before the layout is known: the newest
        # request is served first, and it opens the document itself.
        opened = self.service.open(self.version_id)
        first = self.service.render(self.version_id, page, width_px=width, device_pixel_ratio=dpr)
        self.bridge.watch(
            first,
            self,
            lambda result: self._early_page(page, result),
            lambda _error: None,  # the open request reports the error
            convert=lambda rendered: (to_image(rendered), rendered.scale),
        )
        self.bridge.watch(opened, self, self._opened, self._open_failed)

    def _load_data(self) -> None:
        """Read the annotations and the rest from the store, once.

        Started when the first page is shown (or the document fails), so the
        first page does not wait behind it.
        """
        if self._data_requested:
            return
        self._data_requested = True
        version_id, user_id = self.version_id, self.ctx.user_id
        self.ctx.ops.query(
            self, lambda store: load_reader_data(store, version_id, user_id), self._data_loaded
        )

    def _early_page(self, page: int, result: tuple[QImage, float]) -> None:
        image, scale = result
        if not self.view.pages:
            self.view.show_early_page(page, image, scale)
        elif 0 <= page < len(self.view.pages) and self.view.pages[page].pixmap is None:
            self.view.show_image(page, image, scale)
        self._load_data()

    def _opened(self, info: DocumentInfo) -> None:
        self.info = info
        self._load_data()
        self.view.set_document(self.version_id, info)
        self.view.go_to_page(self.start_page)
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(1, info.page_count))
        self.page_box.setValue(min(info.page_count, self.start_page + 1))
        self.page_box.blockSignals(False)
        self.page_total.setText(self.ctx.tr("reader_page_of", count=info.page_count))
        self.thumbnails.set_document(self.version_id, info)
        self.thumbnails.show_page(self.start_page)
        self.outline.set_document(info)
        if info.repaired:
            self.show_message(self.ctx.tr("reader_repaired"), sticky=True)
        else:
            self._status_idle()
        self._maybe_finish()
        if self.query:
            self.search.search(self.query)
        self.view.setFocus()

    def _open_failed(self, error: BaseException) -> None:
        self.error = error
        self._load_data()
        tr = self.ctx.tr
        key, values = error_text(error)
        title = self.data.title if self.data else ""
        lines = [f"<h3>{tr('reader_error_title')}</h3>", tr(key, **values)]
        if title:
            lines.append(tr("reader_err_which", title=_escape(title)))
        lines.append(f"<span style='color:#616161'>{tr.other(key, **values)}</span>")
        self.error_label.setText("<br><br>".join(lines))
        self.error_label.setToolTip(tr.other(key, **values))
        self.pages_stack.setCurrentWidget(self.error_label)
        self.status.setText(tr(key, **values))
        # Nothing to annotate, search, zoom or export: only "back" stays usable.
        for widget in (self.tools_bar, self.search, self.page_box, self.zoom_box):
            widget.setEnabled(False)
        if self.export_button is not None:
            self.export_button.setEnabled(False)

    def _render_failed(self, error: BaseException) -> None:
        if isinstance(error, errors.RenderServiceClosed):
            return
        name = self.data.title if self.data else ""
        key, values = error_text(error)
        message = self.ctx.tr(key, **values)
        if name:
            message += " " + self.ctx.tr("reader_err_which", title=name)
        self.show_message(message, sticky=True)

    def _data_loaded(self, data: ReaderData) -> None:
        self.data = data
        if self.error is not None:
            self._open_failed(self.error)  # now with the document's title
        self.window_title_changed()
        self._maybe_finish()

    def window_title_changed(self) -> None:
        if self.data is not None:
            self.setWindowTitle(self.data.title)

    def _maybe_finish(self) -> None:
        """Once both the layout and the store data are here: annotations, watermark, banner."""
        data, info = self.data, self.info
        if data is None or info is None:
            return
        self.layer.show_annotations(data.annotations)
        tr = self.ctx.tr
        text = self.permissions.watermark
        if text is None and data.confidential:
            text = watermark_text(
                (tr("reader_watermark", name="{name}", seat="{seat}", date="{date}"),
                 tr("reader_watermark_noseat", name="{name}", date="{date}")),
                data.user_name,
                data.seat_label,
                self.ctx.today(),
                self.ctx.user_id,
            )  # fmt: skip
        self.watermark = text
        if text:
            for page in self.view.pages:
                WatermarkItem(text, page.size).setParentItem(page)
        self._show_banner(data)

    def _show_banner(self, data: ReaderData) -> None:
        tr = self.ctx.tr
        if data.older_annotated:
            version_id, number = data.older_annotated[0]
            self.banner.setText(tr("reader_older_has_notes", number=number))
            self.banner_button.setText(tr("reader_open_older", number=number))
            self._banner_target = version_id
        elif data.current is not None and data.current.id != data.version.id:
            self.banner.setText(
                tr("reader_viewing_older", number=data.version.number, current=data.current.number)
            )
            self.banner_button.setText(tr("reader_open_current"))
            self._banner_target = data.current.id
        else:
            self._banner_target = None
        self.banner_row.setVisible(self._banner_target is not None)

    def _banner_clicked(self) -> None:
        if self._banner_target is not None:
            self.open_version.emit(self._banner_target)

    # -- controls -----------------------------------------------------------------------

    def set_tool(self, tool: Tool) -> None:
        self.tool_actions[tool].setChecked(True)
        self.layer.set_tool(tool)

    def zoom_in(self) -> None:
        self.view.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.view.zoom_by(0.8)

    def _zoom_chosen(self, index: int) -> None:
        value = self.zoom_box.itemData(index)
        if value == "width":
            self.view.fit_width()
        elif value == "page":
            self.view.fit_page()
        else:
            self.view.set_zoom(float(value))
        self.view.setFocus()

    def _zoom_changed(self, zoom: float) -> None:
        fit = self.view.fit
        index = 0 if fit == "width" else 1 if fit == "page" else -1
        if index < 0:
            self.zoom_box.setEditable(True)
            self.zoom_box.setEditText(f"{round(zoom * 100)} %")
            self.zoom_box.setEditable(False)
            index = next((i for i in range(2, self.zoom_box.count())
                          if abs(float(self.zoom_box.itemData(i)) - zoom) < 1e-3), -1)  # fmt: skip
        self.zoom_box.blockSignals(True)
        if index >= 0:
            self.zoom_box.setCurrentIndex(index)
        self.zoom_box.setToolTip(f"{self.ctx.tr('reader_zoom_box')}: {round(zoom * 100)} %")
        self.zoom_box.blockSignals(False)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.thumbnails.show_page(page)

    def _focus_page_box(self) -> None:
        self.page_box.setFocus()
        self.page_box.selectAll()

    def _selection_changed(self) -> None:
        selected = self.layer.selected()
        mine = [a for a in selected if self.layer.editable(a)]
        self.delete_action.setEnabled(bool(mine))
        self.share_action.setEnabled(bool(mine))
        self.share_action.setChecked(
            bool(mine) and all(a.visibility == Visibility.SHARED for a in mine)
        )

    def _annotations_changed(self) -> None:
        self.panel.show_annotations(list(self.layer.annotations.values()))
        self._selection_changed()

    def _context_menu(self, pos: QPoint) -> None:
        tr = self.ctx.tr
        menu = QMenu(self)
        if self.layer.selection_words:
            menu.addAction(tr("reader_copy"), self.layer.copy)
            menu.addAction(
                tr("reader_highlight_selection"),
                lambda: self.layer.mark_selection(AnnotationKind.HIGHLIGHT),
            )
        mine = [a for a in self.layer.selected() if self.layer.editable(a)]
        if mine:
            if any(a.kind in (AnnotationKind.NOTE, AnnotationKind.FREETEXT) for a in mine):
                menu.addAction(tr("reader_edit_text"), self.layer.edit_text_of_selected)
            menu.addAction(self.share_action)
            menu.addAction(self.delete_action)
        if not menu.isEmpty():
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.view.viewport().mapToGlobal(pos))

    def show_message(self, text: str, sticky: bool = False) -> None:
        """Show ``text`` in the reader's status line (for a few seconds unless ``sticky``)."""
        self.status.setText(text)
        if sticky:
            self._status_timer.stop()
        else:
            self._status_timer.start()

    def _status_idle(self) -> None:
        self.status.setText(self.data.title if self.data else "")

    # -- export -----------------------------------------------------------------------------

    def _add_export(self, bar: QToolBar) -> None:
        tr = self.ctx.tr
        button = QToolButton()
        button.setObjectName("readerExport")
        button.setText(tr("reader_export"))
        button.setAccessibleName(tr("reader_export"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.addAction(tr("reader_export_annotated"), lambda: self.export("annotated"))
        menu.addAction(tr("reader_export_flattened"), lambda: self.export("flattened"))
        button.setMenu(menu)
        allowed = self.permissions.export
        button.setEnabled(allowed)
        button.setToolTip(tr("reader_export") if allowed else tr("reader_export_forbidden"))
        bar.addWidget(button)
        self.export_button = button

    def export(self, mode: str, dest: Path | None = None) -> None:
        """Export a copy (``annotated`` or ``flattened``); ask for the file unless ``dest``."""
        if not self.permissions.export:
            self.show_message(self.ctx.tr("reader_export_forbidden"))
            return
        if dest is not None:
            self._export_to(mode, dest)
            return
        dialog = QFileDialog(self, self.ctx.tr("reader_export"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        name = (self.data.title if self.data else "tai-lieu").replace("/", "-")
        dialog.selectFile(f"{name}.pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self._export_to(mode, Path(path)))
        dialog.open()

    def _export_to(self, mode: str, dest: Path) -> None:
        from meetingroom.export import job  # lazily: optional, and heavy

        version_id = self.version_id
        annotations = [a for a in self.layer.annotations.values() if self.layer.editable(a)]
        # The on-screen watermark (name, seat, date) goes onto exported copies of
        # classified documents unless the policy turns watermarking off.
        watermark = self.watermark if self.permissions.watermark_exports else None
        self.ctx.ops.query(
            self,
            lambda store: job.export_document(
                store, version_id, annotations, job.ExportMode(mode), dest, watermark
            ),
            lambda path: self.show_message(self.ctx.tr("reader_export_done", path=str(path))),
        )

    # -- closing --------------------------------------------------------------------------

    def clear(self) -> None:
        """Remove every trace of the document from the widgets and close it in its worker.

        Called when the reader is replaced (back, another document) and on lock.
        """
        self.bridge.invalidate()
        self.layer.clear()
        self.search.clear_hits()
        self.view.clear_document()
        self.thumbnails.clear()
        self.outline.clear()
        self.panel.clear()
        self.error_label.clear()
        self.banner.clear()
        self.status.clear()
        self.search.field.clear()
        self.data = None
        self.info = None
        # A closed service fails this future at once; nothing to wait for.
        self.service.close_document(self.version_id)


def _qcolor(value: str) -> object:
    from PySide6.QtGui import QColor

    return QColor(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["TEXTS", "ReaderScreen"]
