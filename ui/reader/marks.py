"""Scene items for annotations, selections and search hits; all in page points.

Each item is a child of its page's ``PageItem``, so it moves and zooms with
the page and its coordinates are the annotation's own geometry.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from meetingroom.domain import Annotation, AnnotationKind, Visibility

TEXT_KINDS = (AnnotationKind.HIGHLIGHT, AnnotationKind.UNDERLINE, AnnotationKind.STRIKEOUT)
NOTE_SIZE = 20.0
INK_WIDTH = 2.0


def rect_of(values: tuple[float, ...]) -> QRectF:
    x0, y0, x1, y1 = values[:4]
    return QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized()


def ink_path(geometry: tuple[tuple[float, ...], ...]) -> QPainterPath:
    """Return the strokes of an ink annotation as one path."""
    path = QPainterPath()
    for stroke in geometry:
        points = [QPointF(stroke[i], stroke[i + 1]) for i in range(0, len(stroke) - 1, 2)]
        if not points:
            continue
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        if len(points) == 1:
            path.lineTo(points[0] + QPointF(0.1, 0.1))
    return path


def bounds(annotation: Annotation) -> QRectF:
    """Return the box (points) an annotation covers, before any pen width."""
    if annotation.kind == AnnotationKind.INK:
        return ink_path(annotation.geometry).boundingRect()
    rect = QRectF()
    for values in annotation.geometry:
        if len(values) >= 4:
            rect = rect.united(rect_of(values))
    return rect


def translated(annotation: Annotation, dx: float, dy: float) -> tuple[tuple[float, ...], ...]:
    """Return ``annotation``'s geometry moved by (dx, dy) points."""
    return tuple(
        tuple(v + (dx if i % 2 == 0 else dy) for i, v in enumerate(values))
        for values in annotation.geometry
    )


class AnnotationItem(QGraphicsItem):
    """Draws one annotation; selectable and movable when the user may edit it."""

    def __init__(self, annotation: Annotation, editable: bool) -> None:
        super().__init__()
        self.annotation = annotation
        self.editable = editable
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, editable)
        self.setZValue(10)
        self._update_tip()

    def set_annotation(self, annotation: Annotation) -> None:
        self.prepareGeometryChange()
        self.annotation = annotation
        self.setPos(0, 0)
        self._update_tip()
        self.update()

    def _update_tip(self) -> None:
        if self.annotation.kind in (AnnotationKind.NOTE, AnnotationKind.FREETEXT):
            self.setToolTip(self.annotation.text)

    def boundingRect(self) -> QRectF:
        pad = 4.0
        return bounds(self.annotation).adjusted(-pad, -pad, pad, pad)

    def shape(self) -> QPainterPath:
        if self.annotation.kind == AnnotationKind.INK:
            path = ink_path(self.annotation.geometry)
            stroker_path = QPainterPath()
            stroker_path.addRect(path.boundingRect().adjusted(-4, -4, 4, 4))
            return stroker_path
        path = QPainterPath()
        path.addRect(self.boundingRect())
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        a = self.annotation
        colour = QColor(a.colour) if QColor.isValidColorName(a.colour) else QColor("#ffd400")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if a.kind == AnnotationKind.HIGHLIGHT:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
            fill = QColor(colour)
            fill.setAlpha(150)
            for values in a.geometry:
                painter.fillRect(rect_of(values), fill)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        elif a.kind in (AnnotationKind.UNDERLINE, AnnotationKind.STRIKEOUT):
            for values in a.geometry:
                r = rect_of(values)
                painter.setPen(QPen(colour, max(1.0, r.height() / 12)))
                y = (
                    r.bottom() - r.height() * 0.08
                    if a.kind == AnnotationKind.UNDERLINE
                    else r.center().y()
                )
                painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        elif a.kind == AnnotationKind.INK:
            pen = QPen(colour, INK_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(ink_path(a.geometry))
        elif a.kind == AnnotationKind.NOTE:
            r = bounds(a)
            painter.setPen(QPen(colour.darker(160), 1))
            painter.setBrush(QBrush(colour))
            painter.drawRoundedRect(r, 3, 3)
            painter.setPen(QPen(colour.darker(220), 1))
            for i in range(3):
                y = r.top() + r.height() * (0.3 + 0.2 * i)
                painter.drawLine(QPointF(r.left() + 4, y), QPointF(r.right() - 4, y))
        elif a.kind == AnnotationKind.FREETEXT:
            r = bounds(a)
            painter.setPen(QPen(colour.darker(150), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(r)
            font = QFont()
            font.setPointSizeF(11)
            painter.setFont(font)
            painter.setPen(QPen(colour.darker(200) if colour.lightness() > 160 else colour))
            painter.drawText(
                r.adjusted(3, 2, -3, -2),
                int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignTop),
                a.text,
            )
        if a.visibility == Visibility.SHARED:
            r = bounds(a)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor("#1565c0")))
            painter.drawEllipse(QPointF(r.right() + 2, r.top() - 2), 2.5, 2.5)
        if self.isSelected():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#1565c0"), 0, Qt.PenStyle.DashLine))
            painter.drawRect(bounds(a).adjusted(-2, -2, 2, 2))


class RectsItem(QGraphicsItem):
    """Translucent rectangles (a text selection or a search hit); not interactive."""

    def __init__(self, rects: list[QRectF], colour: QColor) -> None:
        super().__init__()
        self.rects = rects
        self.colour = colour
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(5)

    def set_rects(self, rects: list[QRectF]) -> None:
        self.prepareGeometryChange()
        self.rects = rects
        self.update()

    def boundingRect(self) -> QRectF:
        rect = QRectF()
        for r in self.rects:
            rect = rect.united(r)
        return rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        for r in self.rects:
            painter.fillRect(r, self.colour)


class InkDraft(QGraphicsItem):
    """The stroke being drawn, until the pen lifts."""

    def __init__(self, colour: str, start: QPointF) -> None:
        super().__init__()
        self.colour = QColor(colour)
        self.points = [start]
        self.setZValue(11)

    def add(self, point: QPointF) -> None:
        self.prepareGeometryChange()
        self.points.append(point)
        self.update()

    def boundingRect(self) -> QRectF:
        xs = [p.x() for p in self.points]
        ys = [p.y() for p in self.points]
        return QRectF(min(xs) - 3, min(ys) - 3, max(xs) - min(xs) + 6, max(ys) - min(ys) + 6)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self.colour, INK_WIDTH))
        for a, b in zip(self.points, self.points[1:], strict=False):
            painter.drawLine(a, b)


class WatermarkItem(QGraphicsItem):
    """The delegate's name, seat and date diagonally across a page (on screen only)."""

    def __init__(self, text: str, size: tuple[float, float]) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(20)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self.size)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        w, h = self.size
        painter.save()
        painter.setClipRect(self.boundingRect())
        painter.translate(w / 2, h / 2)
        painter.rotate(-45 if h >= w else -30)
        font = QFont()
        font.setPixelSize(max(12, int(min(w, h) / 18)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(200, 30, 30, 70))
        diagonal = (w * w + h * h) ** 0.5
        line = font.pixelSize() * 6
        for k in (-1, 0, 1):
            painter.drawText(
                QRectF(-diagonal / 2, -font.pixelSize() + k * line, diagonal, font.pixelSize() * 2),
                int(Qt.AlignmentFlag.AlignCenter),
                self.text,
            )
        painter.restore()
