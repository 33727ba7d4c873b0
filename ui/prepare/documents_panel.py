"""The documents tab: attach PDFs (file dialog or drop), new versions, classification, removal.

Each file is checked in a separate process before it is stored
(``meetingroom.prepare.checks``); a rejected file gets a message naming it
and the reason, and the other files of the same drop carry on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    MeetingId,
)
from meetingroom.prepare import agenda, checks, documents
from meetingroom.store import Store
from ui.context import UiContext
from ui.prepare.texts import message_for

DocIdRole = Qt.ItemDataRole.UserRole + 31


@dataclass
class DocRow:
    document: Document
    current: DocumentVersion | None
    versions: int
    state: documents.UploadState


@dataclass
class DocumentsView:
    """What the documents tab shows, read in one op."""

    rows: list[DocRow]
    agenda: list[AgendaItem]


def load_documents(store: Store, meeting_id: MeetingId) -> DocumentsView:
    """Return the meeting's documents with their upload state, and the agenda (worker)."""
    rows = []
    for doc in services.documents(store, meeting_id).items:
        versions = services.versions(store, doc.id).items
        current = next((v for v in versions if v.id == doc.current_version_id), None)
        rows.append(DocRow(doc, current, len(versions), documents.upload_state(store, doc)))
    rows.sort(key=lambda r: (r.document.position, r.document.title))
    return DocumentsView(rows, services.agenda(store, meeting_id).items)


class DropList(QTreeWidget):
    """The document list; files dropped on it are attached."""

    files_dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


class DocumentsPanel(QWidget):
    """Attach and manage the meeting's PDFs."""

    changed = Signal()

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, max_bytes: int = checks.MAX_BYTES
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        tr = ctx.tr
        self.max_bytes = max_bytes
        self.meeting_id: MeetingId | None = None
        self.view_data: DocumentsView | None = None
        self._queue: list[Path] = []
        self._busy = False
        # Tests and the file dialog both hand in paths through these two hooks.
        self.choose_files: Callable[[], list[Path]] = self._dialog
        self.confirm: Callable[[str], bool] = self._ask

        self.list = DropList()
        self.list.setObjectName("prepDocuments")
        self.list.setAccessibleName(tr("prep_docs_list"))
        self.list.setHeaderLabels(
            [
                tr("prep_docs_col_title"),
                tr("prep_docs_col_item"),
                tr("prep_docs_col_version"),
                tr("prep_docs_col_pages"),
                tr("prep_docs_col_class"),
                tr("prep_docs_col_upload"),
            ]
        )
        self.list.setRootIsDecorated(False)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((0, 300, 95, 70, 170, 120)):
            if width:
                self.list.setColumnWidth(column, width)
        self.list.files_dropped.connect(self.attach_files)
        # The title is renamed in place: double-click or F2 on a document.
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.itemDoubleClicked.connect(lambda item, _col: self.list.editItem(item, 0))
        rename = QShortcut(QKeySequence("F2"), self.list)
        rename.setContext(Qt.ShortcutContext.WidgetShortcut)
        rename.activated.connect(self._edit_title)
        self.list.itemChanged.connect(self._title_edited)
        self.list.currentItemChanged.connect(lambda *_: self._selection_changed())

        self.target = QComboBox()
        self.target.setAccessibleName(tr("prep_docs_target"))
        self.target.setToolTip(tr.other("prep_docs_target"))
        self.target.activated.connect(lambda _i: self._move_to_item())
        self.level = QComboBox()
        self.level.setAccessibleName(tr("prep_docs_col_class"))
        for c in Classification:
            self.level.addItem(tr.classification(c), c)
        self.level.activated.connect(lambda _i: self._classify())
        self.add_button = QPushButton(tr("prep_docs_add"))
        self.add_button.setShortcut("Ctrl+O")
        self.add_button.setToolTip(f"{tr.other('prep_docs_add')} (Ctrl+O)")
        self.version_button = QPushButton(tr("prep_docs_new_version"))
        self.remove_button = QPushButton(tr("prep_docs_remove"))
        for button in (self.add_button, self.version_button, self.remove_button):
            button.setAccessibleName(button.text())
        self.add_button.clicked.connect(self.add_dialog)
        self.version_button.clicked.connect(self.new_version_dialog)
        self.remove_button.clicked.connect(self.remove_selected)
        self.progress = QProgressBar()
        self.progress.setObjectName("prepDocsProgress")
        self.progress.setVisible(False)
        self.messages = QListWidget()
        self.messages.setObjectName("prepDocsMessages")
        self.messages.setAccessibleName(tr("prep_docs_messages"))
        self.messages.setMaximumHeight(110)
        self.messages.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.version_button)
        top.addWidget(self.remove_button)
        top.addSpacing(16)
        label = QLabel(tr("prep_docs_target"))
        label.setBuddy(self.target)
        top.addWidget(label)
        top.addWidget(self.target, 1)
        level_label = QLabel(tr("prep_docs_col_class"))
        level_label.setBuddy(self.level)
        top.addWidget(level_label)
        top.addWidget(self.level)
        hint = QLabel(tr("prep_docs_hint", mb=max_bytes // (1024 * 1024)))
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.messages)
        self._selection_changed()

    def _dialog(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, self._ctx.tr("prep_docs_add"), "", "PDF (*.pdf *.PDF)"
        )
        return [Path(n) for n in names]

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self._ctx.tr("prep_confirm_title"), text)
        return answer == QMessageBox.StandardButton.Yes

    # -- loading ---------------------------------------------------------------------

    def load(self, meeting_id: MeetingId) -> None:
        """Read the documents on the worker and show them."""
        self.meeting_id = meeting_id
        self._ctx.ops.query(self, lambda s: load_documents(s, meeting_id), self._show)

    def _show(self, data: DocumentsView) -> None:
        tr = self._ctx.tr
        self.view_data = data
        keep = self.selected_id()
        numbers = agenda.numbering(data.agenda)
        titles = {i.id: f"{numbers.get(i.id, '')}. {i.title}" for i in data.agenda}
        target = self.target.currentData()
        self.target.clear()
        self.target.addItem(tr("prep_docs_whole_meeting"), None)
        for _depth, entry in agenda.ordered(data.agenda):
            self.target.addItem(titles[entry.id], entry.id)
        found = self.target.findData(target)
        self.target.setCurrentIndex(max(found, 0))
        self.list.blockSignals(True)  # filling the list is not an edit of titles
        self.list.clear()
        state_text = {
            documents.UploadState.WAITING: tr("prep_docs_waiting"),
            documents.UploadState.UPLOADED: tr("prep_docs_uploaded"),
            documents.UploadState.NO_FILE: tr("prep_docs_no_file"),
        }
        for row in data.rows:
            doc, current = row.document, row.current
            version = ""
            if current is not None:
                version = tr("prep_docs_version", n=current.number)
            item = QTreeWidgetItem(
                [
                    doc.title,
                    titles.get(doc.agenda_item_id, "") if doc.agenda_item_id else "",
                    version,
                    str(current.page_count) if current else "",
                    tr.classification(doc.classification),
                    state_text[row.state],
                ]
            )
            item.setData(0, DocIdRole, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if current is not None:
                item.setToolTip(0, current.filename)
            self.list.addTopLevelItem(item)
            if doc.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._selection_changed()

    def selected_id(self) -> DocumentId | None:
        item = self.list.currentItem()
        value = item.data(0, DocIdRole) if item is not None else None
        return DocumentId(value) if value else None

    def _selected_row(self) -> DocRow | None:
        did = self.selected_id()
        if self.view_data is None or did is None:
            return None
        return next((r for r in self.view_data.rows if r.document.id == did), None)

    def _selection_changed(self) -> None:
        row = self._selected_row()
        self.version_button.setEnabled(row is not None and not self._busy)
        self.remove_button.setEnabled(row is not None and not self._busy)
        self.level.setEnabled(row is not None)
        if row is not None:
            self.level.setCurrentIndex(list(Classification).index(row.document.classification))
            self.target.setCurrentIndex(max(self.target.findData(row.document.agenda_item_id), 0))

    # -- attaching -------------------------------------------------------------------

    def add_dialog(self) -> None:
        """Ask for PDF files and attach them."""
        paths = self.choose_files()
        if paths:
            self.attach_files(paths)

    def attach_files(self, paths: list[Path]) -> None:
        """Check and attach ``paths`` one after another; report each outcome."""
        self._queue.extend(paths)
        if not self._busy:
            self._next()

    def _next(self, replace: DocumentId | None = None) -> None:
        if not self._queue or self.meeting_id is None:
            self._set_busy(False)
            if self.meeting_id is not None:
                self.load(self.meeting_id)
            return
        self._set_busy(True)
        path = self._queue.pop(0)
        mid = self.meeting_id
        target = self.target.currentData()
        item_id = AgendaItemId(target) if target else None
        level = Classification(self.level.currentData() or Classification.NORMAL)
        max_bytes = self.max_bytes
        post = self._ctx.ops.post
        tr = self._ctx.tr
        name = checks.display_name(path)
        self.progress.setFormat(tr("prep_docs_checking", name=name) + " %p%")

        def progress(done: int, total: int) -> None:
            # Called on the worker thread: hand the numbers to the GUI thread.
            post(lambda: self._progress(done, total))

        def op(store: Store) -> documents.Attached:
            checked = checks.check_pdf(path, max_bytes)
            if replace is not None:
                return documents.new_version(store, replace, checked, progress=progress)
            return documents.attach(
                store, mid, checked, agenda_item_id=item_id, classification=level, progress=progress
            )

        def done(result: documents.Attached) -> None:
            key = "prep_docs_new_version_done" if replace else "prep_docs_attached"
            self._say(tr(key, name=name, n=result.version.number))
            self.changed.emit()
            self._next()

        def failed(error: BaseException) -> None:
            self._say(message_for(tr, error), error=True)
            self._next()

        self._ctx.ops.query(self, op, done, failed)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.add_button.setEnabled(not busy)
        self._selection_changed()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.messages.insertItem(0, ("⚠ " if error else "✓ ") + text)
        item = self.messages.item(0)
        item.setForeground(Qt.GlobalColor.darkRed if error else Qt.GlobalColor.darkGreen)

    def new_version_dialog(self) -> None:
        """Ask for one PDF and make it the selected document's new version."""
        did = self.selected_id()
        if did is None:
            return
        paths = self.choose_files()
        if paths:
            self.replace_with(did, paths[0])

    def replace_with(self, document_id: DocumentId, path: Path) -> None:
        """Check ``path`` and attach it as a new version of ``document_id``."""
        if self._busy:
            return
        self._queue.insert(0, path)
        self._next(replace=document_id)

    # -- editing ---------------------------------------------------------------------

    def _edit_title(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item, 0)

    def _title_edited(self, item: QTreeWidgetItem, column: int) -> None:
        did = item.data(0, DocIdRole)
        rows = self.view_data.rows if self.view_data is not None else []
        row = next((r for r in rows if r.document.id == did), None)
        title = item.text(0).strip()
        if column != 0 or row is None or title == row.document.title:
            return
        if not title:
            self.load(row.document.meeting_id)  # an empty title is not saved: show the old one
            return
        document_id = row.document.id
        self._run(lambda s: documents.rename_document(s, document_id, title))

    def _classify(self) -> None:
        row = self._selected_row()
        level = Classification(self.level.currentData())
        if row is None or row.document.classification == level:
            return
        did = row.document.id
        self._run(lambda s: documents.set_classification(s, did, level))

    def _move_to_item(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        value = self.target.currentData()
        item_id = AgendaItemId(value) if value else None
        if row.document.agenda_item_id == item_id:
            return
        did = row.document.id
        self._run(lambda s: documents.set_agenda_item(s, did, item_id))

    def remove_selected(self) -> None:
        """Remove the selected document (after confirmation)."""
        row = self._selected_row()
        if row is None:
            return
        if not self.confirm(self._ctx.tr("prep_docs_confirm_remove", title=row.document.title)):
            return
        did = row.document.id
        self._run(lambda s: documents.remove_document(s, did))

    def _run(self, op: Callable[[Store], object]) -> None:
        mid = self.meeting_id

        def done(_result: object) -> None:
            self.changed.emit()
            if mid is not None:
                self.load(mid)

        self._ctx.ops.query(self, op, done)
