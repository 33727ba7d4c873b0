"""The seating tab: a room from a template, seats dragged into place, people onto seats.

Seats are moved with the mouse (or the arrow keys for the selected seat);
participants are dragged from the unseated list onto a seat, or seated with
the "Seat here" button. The chart exports to a PDF with the names in their seats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDrag,
    QFont,
    QKeyEvent,
    QPainter,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.domain import (
    Meeting,
    MeetingId,
    Participant,
    ParticipantId,
    Room,
    Seat,
    SeatId,
)
from meetingroom.prepare import chart, seating
from meetingroom.store import Store
from ui.context import UiContext
from ui.prepare.action_buttons import action_buttons
from ui.prepare.texts import message_for
from ui.screens.meetings import format_when

MIME = "application/x-meetingroom-participant"
PersonRole = Qt.ItemDataRole.UserRole + 41
SEAT_BRUSH = QColor("#e8eef7")
TAKEN_BRUSH = QColor("#cfe3cf")
SEAT_PEN = QColor("#5b6b80")
SELECTED_PEN = QColor("#ef6c00")
ROOM_BRUSH = QColor("#fbfaf7")
RADIUS = 3.2  # room units


@dataclass
class SeatingData:
    meeting: Meeting
    room: Room | None
    seats: list[Seat]
    participants: list[Participant]


def load_seating(store: Store, meeting_id: MeetingId) -> SeatingData:
    """Return the meeting's room, seats and participants (runs on the worker)."""
    room = services.room(store, meeting_id)
    seats = services.seats(store, room.id).items if room else []
    people = services.participants(store, meeting_id).items
    return SeatingData(store.repos.meetings.get(meeting_id), room, seats, people)


class EditableSeat(QGraphicsEllipseItem):
    """A seat that can be dragged, selected, and dropped on by a participant."""

    def __init__(self, seat: Seat, occupant: Participant | None, editor: SeatingEditor) -> None:
        super().__init__(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS)
        self.seat = seat
        self.occupant = occupant
        self._editor = editor
        self.setPos(seat.x, seat.y)
        self.setBrush(QBrush(TAKEN_BRUSH if occupant else SEAT_BRUSH))
        self.setPen(QPen(SEAT_PEN, 0.35))
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
        )
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        font = QFont()
        font.setPointSizeF(2.2)
        font.setBold(True)
        label = QGraphicsSimpleTextItem(seat.label, self)
        label.setFont(font)
        box = label.boundingRect()
        label.setPos(-box.width() / 2, -box.height() / 2)
        if occupant is not None:
            small = QFont()
            small.setPointSizeF(1.5)
            name = QGraphicsSimpleTextItem(_short(occupant.display_name), self)
            name.setFont(small)
            box = name.boundingRect()
            name.setPos(-box.width() / 2, RADIUS + 0.2)
            self.setToolTip(f"{seat.label} — {occupant.display_name}")
        else:
            self.setToolTip(seat.label)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setPen(QPen(SELECTED_PEN if value else SEAT_PEN, 0.7 if value else 0.35))
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if (self.pos().x(), self.pos().y()) != (self.seat.x, self.seat.y):
            self._editor.move_seat(self.seat.id, self.pos().x(), self.pos().y())

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        event.setAccepted(event.mimeData().hasFormat(MIME))

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        pid = bytes(event.mimeData().data(MIME).data()).decode()
        event.acceptProposedAction()
        self._editor.assign(self.seat.id, ParticipantId(pid))


def _short(name: str) -> str:
    """Return the last two words of a Vietnamese name (the given name and the one before)."""
    words = name.split()
    return " ".join(words[-2:]) if len(words) > 2 else name


class RoomView(QGraphicsView):
    """The room scaled to fit; arrow keys nudge the selected seat."""

    nudge = Signal(float, float)

    def __init__(self) -> None:
        super().__init__()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setScene(QGraphicsScene(self))
        self.setAcceptDrops(True)
        self.setMinimumHeight(240)

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = 5.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
        moves = {
            Qt.Key.Key_Left: (-step, 0.0),
            Qt.Key.Key_Right: (step, 0.0),
            Qt.Key.Key_Up: (0.0, -step),
            Qt.Key.Key_Down: (0.0, step),
        }
        move = moves.get(Qt.Key(event.key()))
        if move is not None and self.scene().selectedItems():
            self.nudge.emit(*move)
            return
        super().keyPressEvent(event)


class PeopleList(QListWidget):
    """Unseated participants; each can be dragged onto a seat."""

    def __init__(self) -> None:
        super().__init__()
        self.setDragEnabled(True)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        item = self.currentItem()
        if item is None:
            return
        data = QMimeData()
        data.setData(MIME, QByteArray(str(item.data(PersonRole)).encode()))
        data.setText(item.text())
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.exec(Qt.DropAction.CopyAction)


class SeatingEditor(QWidget):
    """The seating tab."""

    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        tr = ctx.tr
        self.meeting_id: MeetingId | None = None
        self.data: SeatingData | None = None
        self.items: dict[SeatId, EditableSeat] = {}
        self.confirm: Callable[[str], bool] = self._ask
        self.ask_label: Callable[[str], str | None] = self._label_dialog
        self.choose_path: Callable[[str], Path | None] = self._save_dialog

        self.template = QComboBox()
        self.template.setAccessibleName(tr("prep_seat_template"))
        for template in seating.Template:
            self.template.addItem(tr(f"prep_tpl_{template.value}"), template)
        self.count = QSpinBox()
        self.count.setRange(1, 500)
        self.count.setValue(20)
        self.count.setAccessibleName(tr("prep_seat_count"))
        self.rows = QSpinBox()
        self.rows.setRange(1, 30)
        self.rows.setValue(4)
        self.rows.setAccessibleName(tr("prep_seat_rows"))
        self.cols = QSpinBox()
        self.cols.setRange(1, 30)
        self.cols.setValue(6)
        self.cols.setAccessibleName(tr("prep_seat_cols"))
        self.template.currentIndexChanged.connect(lambda _i: self._template_changed())
        self.apply_button = QPushButton(tr("prep_seat_apply"))
        self.apply_button.setAccessibleName(tr("prep_seat_apply"))
        self.apply_button.clicked.connect(self.apply_template)
        bar = QHBoxLayout()
        for key, widget in (
            ("prep_seat_template", self.template),
            ("prep_seat_count", self.count),
            ("prep_seat_rows", self.rows),
            ("prep_seat_cols", self.cols),
        ):
            label = QLabel(tr(key))
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.apply_button)
        bar.addStretch(1)

        self.view = RoomView()
        self.view.setObjectName("prepRoomView")
        self.view.setAccessibleName(tr("prep_seat_room"))
        self.view.nudge.connect(self._nudge)
        self.view.scene().selectionChanged.connect(self._update_buttons)

        edit = QHBoxLayout()
        self.buttons = action_buttons(
            tr,
            (
                ("add", "prep_seat_add", "Ins"),
                ("relabel", "prep_seat_relabel", "F2"),
                ("remove", "prep_seat_remove", "Del"),
                ("seat_here", "prep_seat_here", "Ctrl+Return"),
                ("unseat", "prep_seat_unseat", ""),
                ("export", "prep_seat_export", "Ctrl+P"),
            ),
            self.act,
            edit,
            bind_shortcuts=True,
        )
        edit.addStretch(1)

        self.unseated = PeopleList()
        self.unseated.setObjectName("prepUnseated")
        self.unseated.setAccessibleName(tr("prep_seat_unseated"))
        self.unseated.itemSelectionChanged.connect(self._update_buttons)
        self.unseated_label = QLabel()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.unseated_label)
        side_layout.addWidget(self.unseated, 1)
        hint = QLabel(tr("prep_seat_hint"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        side_layout.addWidget(hint)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(edit)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._template_changed()
        self._update_buttons()

    # -- dialogs (replaceable by tests) ------------------------------------------------

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self._ctx.tr("prep_confirm_title"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _label_dialog(self, current: str) -> str | None:
        text, ok = QInputDialog.getText(
            self, self._ctx.tr("prep_seat_relabel"), self._ctx.tr("prep_seat_label"), text=current
        )
        return text if ok else None

    def _save_dialog(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self._ctx.tr("prep_seat_export"), suggested, "PDF (*.pdf)"
        )
        return Path(name) if name else None

    # -- loading ---------------------------------------------------------------------

    def load(self, meeting_id: MeetingId) -> None:
        """Read the room and participants on the worker and draw them."""
        self.meeting_id = meeting_id
        self._ctx.ops.query(self, lambda s: load_seating(s, meeting_id), self._show)

    def _show(self, data: SeatingData) -> None:
        tr = self._ctx.tr
        selected = self.selected_seat()
        keep = selected.seat.id if selected else None
        self.data = data
        scene = self.view.scene()
        scene.clear()
        self.items.clear()
        room = data.room
        if room is not None:
            margin = max(room.width, room.height) * 0.04
            scene.setSceneRect(
                QRectF(-margin, -margin, room.width + 2 * margin, room.height + 2 * margin)
            )
            outline = QGraphicsRectItem(0, 0, room.width, room.height)
            outline.setBrush(QBrush(ROOM_BRUSH))
            outline.setPen(QPen(SEAT_PEN, 0.3))
            scene.addItem(outline)
            by_id = {p.id: p for p in data.participants}
            for seat in data.seats:
                occupant = by_id.get(seat.participant_id) if seat.participant_id else None
                item = EditableSeat(seat, occupant, self)
                scene.addItem(item)
                self.items[seat.id] = item
                if seat.id == keep:
                    item.setSelected(True)
            self.view.fit()
        left = seating.unseated(data.participants, data.seats)
        self.unseated.clear()
        for person in left:
            entry = QListWidgetItem(f"{person.display_name} — {tr.role(person.role)}")
            entry.setData(PersonRole, person.id)
            self.unseated.addItem(entry)
        self.unseated_label.setText(
            tr("prep_seat_unseated_count", n=len(left), total=len(data.participants))
        )
        self.message.setText(
            tr("prep_seat_no_room")
            if room is None
            else tr("prep_seat_count_text", n=len(data.seats))
        )
        self._update_buttons()

    def selected_seat(self) -> EditableSeat | None:
        chosen = [i for i in self.view.scene().selectedItems() if isinstance(i, EditableSeat)]
        return chosen[0] if chosen else None

    def select_seat(self, seat_id: SeatId) -> None:
        """Select the seat with ``seat_id`` (only it)."""
        self.view.scene().clearSelection()
        item = self.items.get(seat_id)
        if item is not None:
            item.setSelected(True)

    def _template_changed(self) -> None:
        grid = self.template.currentData() == seating.Template.GRID
        self.count.setEnabled(not grid)
        self.rows.setEnabled(grid)
        self.cols.setEnabled(grid)

    def _update_buttons(self) -> None:
        seat = self.selected_seat()
        has_room = self.data is not None and self.data.room is not None
        self.buttons["add"].setEnabled(has_room)
        self.buttons["export"].setEnabled(has_room)
        for action in ("relabel", "remove"):
            self.buttons[action].setEnabled(seat is not None)
        self.buttons["unseat"].setEnabled(seat is not None and seat.occupant is not None)
        self.buttons["seat_here"].setEnabled(
            seat is not None and self.unseated.currentItem() is not None
        )

    # -- edits -----------------------------------------------------------------------

    def apply_template(self) -> None:
        """Lay the room out from the chosen template (after confirmation if seats exist)."""
        if self.meeting_id is None:
            return
        tr = self._ctx.tr
        if (
            self.data is not None
            and self.data.seats
            and not self.confirm(tr("prep_seat_confirm_template"))
        ):
            return
        template = seating.Template(self.template.currentData())
        count, rows, cols = self.count.value(), self.rows.value(), self.cols.value()
        mid = self.meeting_id
        self._run(
            lambda s: seating.apply_template(s, mid, template, seats=count, rows=rows, cols=cols)
        )

    def act(self, action: str) -> None:
        """Carry out a button action on the selected seat."""
        if self.data is None or self.data.room is None:
            return
        room = self.data.room
        item = self.selected_seat()
        if action == "add":
            centre = self.view.mapToScene(self.view.viewport().rect().center())
            x, y = centre.x(), centre.y()
            self._run(lambda s: seating.add_seat(s, room.id, x, y))
        elif action == "export":
            self.export_pdf()
        elif item is None:
            return
        elif action == "relabel":
            label = self.ask_label(item.seat.label)
            if label is not None:
                sid = item.seat.id
                self._run(lambda s: seating.relabel_seat(s, sid, label))
        elif action == "remove":
            sid = item.seat.id
            self._run(lambda s: seating.remove_seat(s, sid))
        elif action == "unseat":
            self.assign(item.seat.id, None)
        elif action == "seat_here":
            person = self.unseated.currentItem()
            if person is not None:
                self.assign(item.seat.id, ParticipantId(person.data(PersonRole)))

    def assign(self, seat_id: SeatId, participant_id: ParticipantId | None) -> None:
        """Seat ``participant_id`` at ``seat_id`` (None: empty the seat)."""
        self._run(lambda s: seating.assign(s, seat_id, participant_id))

    def move_seat(self, seat_id: SeatId, x: float, y: float) -> None:
        """Save a seat's new position (after a drag)."""
        self._run(lambda s: seating.move_seat(s, seat_id, x, y))

    def _nudge(self, dx: float, dy: float) -> None:
        item = self.selected_seat()
        if item is not None:
            self.move_seat(item.seat.id, item.seat.x + dx, item.seat.y + dy)

    def export_pdf(self) -> None:
        """Ask where to save the chart, write it there on the worker."""
        if self.data is None or self.data.room is None or self.meeting_id is None:
            return
        tr = self._ctx.tr
        meeting = self.data.meeting
        path = self.choose_path(tr("prep_seat_export_name") + ".pdf")
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        subtitle = f"{format_when(meeting, tr)} · {meeting.location}".strip(" ·")
        mid = self.meeting_id

        def done(written: Path) -> None:
            self.message.setText(tr("prep_seat_exported", path=str(written)))

        def failed(error: BaseException) -> None:
            self.message.setText(message_for(tr, error))

        self._ctx.ops.query(
            self, lambda s: chart.export_chart(s, mid, path, subtitle), done, failed
        )

    def _run(self, op: Callable[[Store], object]) -> None:
        mid = self.meeting_id
        tr = self._ctx.tr

        def done(_result: object) -> None:
            self.changed.emit()
            if mid is not None:
                self.load(mid)

        def failed(error: BaseException) -> None:
            self.message.setText(message_for(tr, error))
            if mid is not None:
                self.load(mid)  # put a dragged seat back where the store has it

        self._ctx.ops.query(self, op, done, failed)
