"""The seating chart: the room drawn to scale, your seat highlighted, find a person."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from meetingroom.domain import Participant, ParticipantId, Room, Seat, SeatId, UserId
from ui.i18n import Translator, fold

SEAT_BRUSH = QColor("#e8eef7")
SEAT_PEN = QColor("#5b6b80")
OWN_BRUSH = QColor("#2e7d32")
FOUND_PEN = QColor("#ef6c00")
ROOM_BRUSH = QColor("#fbfaf7")


class SeatItem(QGraphicsEllipseItem):
    """One seat: a disc with its label; the occupant's name as the tooltip."""

    def __init__(
        self, seat: Seat, participant: Participant | None, radius: float, tr: Translator
    ) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.seat = seat
        self.participant = participant
        self.setPos(seat.x, seat.y)
        self.setBrush(QBrush(SEAT_BRUSH))
        self.setPen(QPen(SEAT_PEN, radius * 0.12))
        self.setAcceptHoverEvents(True)
        tip = seat.label
        if participant is not None:
            tip = f"{participant.display_name}\n{participant.title}".strip()
            tip += f"\n{tr.role(participant.role)} · {seat.label}"
        self.setToolTip(tip)
        label = QGraphicsSimpleTextItem(seat.label, self)
        font = QFont()
        font.setPointSizeF(max(radius * 0.9, 0.5))
        font.setBold(True)
        label.setFont(font)
        box = label.boundingRect()
        label.setPos(-box.width() / 2, -box.height() / 2)
        self.label = label

    def mark(self, *, own: bool, found: bool) -> None:
        radius = self.rect().width() / 2
        self.setBrush(QBrush(OWN_BRUSH if own else SEAT_BRUSH))
        self.label.setBrush(QBrush(Qt.GlobalColor.white if own else Qt.GlobalColor.black))
        pen = QPen(FOUND_PEN, radius * 0.35) if found else QPen(SEAT_PEN, radius * 0.12)
        self.setPen(pen)


class SeatingView(QGraphicsView):
    """The room scaled to fit the view (seat x/y are in room units)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setScene(QGraphicsScene(self))
        self.setMinimumHeight(160)

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


class SeatingChart(QWidget):
    """The chart plus "your seat" and the find-a-person box."""

    def __init__(self, tr: Translator, user_id: UserId, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._user_id = user_id
        self.seat_items: dict[SeatId, SeatItem] = {}
        self.own_seat_id: SeatId | None = None
        self.found_seat_id: SeatId | None = None
        self.info = QLabel()
        self.info.setObjectName("yourSeat")
        self.find_box = QLineEdit()
        self.find_box.setObjectName("findPerson")
        self.find_box.setAccessibleName(tr("find_person"))
        self.find_box.setPlaceholderText(tr("find_person"))
        self.find_box.setToolTip(tr.other("find_person"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.textChanged.connect(self.find_person)
        self.view = SeatingView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.info)
        layout.addWidget(self.find_box)
        layout.addWidget(self.view, 1)

    def show_room(
        self, room: Room | None, seats: list[Seat], participants: list[Participant]
    ) -> None:
        """Draw ``room`` with ``seats``; highlight the current user's seat."""
        scene = self.view.scene()
        scene.clear()
        self.seat_items.clear()
        self.own_seat_id = self.found_seat_id = None
        if room is None:
            self.info.setText(self._tr("no_room"))
            return
        by_id: dict[ParticipantId, Participant] = {p.id: p for p in participants}
        margin = max(room.width, room.height) * 0.04
        scene.setSceneRect(
            QRectF(-margin, -margin, room.width + 2 * margin, room.height + 2 * margin)
        )
        outline = QGraphicsRectItem(0, 0, room.width, room.height)
        outline.setBrush(QBrush(ROOM_BRUSH))
        outline.setPen(QPen(SEAT_PEN, max(room.width, room.height) * 0.004))
        scene.addItem(outline)
        radius = min(room.width, room.height) * 0.035
        for seat in seats:
            occupant = by_id.get(seat.participant_id) if seat.participant_id else None
            item = SeatItem(seat, occupant, radius, self._tr)
            scene.addItem(item)
            self.seat_items[seat.id] = item
            if occupant is not None and occupant.user_id == self._user_id:
                self.own_seat_id = seat.id
        own = self.seat_items.get(self.own_seat_id) if self.own_seat_id else None
        self.info.setText(
            self._tr("your_seat", label=own.seat.label) if own else self._tr("no_seat")
        )
        self._remark()
        self.view.fit()

    def find_person(self, text: str) -> SeatId | None:
        """Highlight and centre the seat of the first participant whose name matches."""
        query = fold(text)
        self.found_seat_id = None
        if query:
            for seat_id, item in self.seat_items.items():
                person = item.participant
                if person is not None and query in fold(person.display_name):
                    self.found_seat_id = seat_id
                    self.view.centerOn(item)
                    break
        self._remark()
        return self.found_seat_id

    def _remark(self) -> None:
        for seat_id, item in self.seat_items.items():
            item.mark(own=seat_id == self.own_seat_id, found=seat_id == self.found_seat_id)

    def clear(self) -> None:
        self.find_box.clear()
        self.show_room(None, [], [])
