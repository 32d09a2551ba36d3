"""A report's chart drawn with QPainter: a line (net worth), horizontal bars (spending by
category) or grouped columns (cash flow: in, out, net per month).

The figures stay exact in :class:`ChartData`; they become floats only for the pixels. One
:meth:`ReportChart.shapes` lays the points out for painting, hovering and clicking alike, so
what is drawn is what is hit. Hovering (or moving with the arrow keys) shows a point's value
in the locale's money format; a click (or Enter) emits ``point_activated``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)  # fmt: skip
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.formatting import money_text
from app.models.chart_data import (
    KNOWN_NOW,
    MONEY_IN,
    MONEY_OUT,
    NET,
    NET_WORTH,
    SPENDING,
    ChartData,
    Point,
)  # fmt: skip

COLORS = {NET_WORTH: "#2e86de", KNOWN_NOW: "#8e44ad", SPENDING: "#e67e22",
          MONEY_IN: "#27ae60", MONEY_OUT: "#c0392b", NET: "#2e86de"}  # fmt: skip
_PAD = 12


def nice_step(span: int, ticks: int = 5) -> int:
    """A step of 1, 2 or 5 times a power of ten (minor units) giving about ``ticks`` steps."""
    raw = max(span / ticks, 1.0)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def point_text(point: Point) -> str:
    """What hovering a point says: where it is, which figure, and the amount."""
    return f"{point.label}\n{point.series}: {money_text(point.minor, point.currency)}"


class ReportChart(QWidget):
    """Draws one :class:`ChartData`; :meth:`set_stale` greys it while newer figures come."""

    point_activated = Signal(object)  # the Point clicked, or chosen with Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Report chart")
        self.data: ChartData | None = None
        self.current: int | None = None  # the point hovered or chosen with the keys
        self.stale = False
        self._laid_out: tuple[tuple[int, int], list[QRectF]] | None = None  # size, shapes

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    def set_data(self, data: ChartData | None) -> None:
        """Draw ``data`` (None: nothing to chart); the stale grey goes."""
        self.data, self.stale = data, False
        self._laid_out = None
        if self.current is not None and (data is None or self.current >= len(data.points)):
            self.current = None
        self.update()

    def set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.update()

    # --- layout ----------------------------------------------------------------------------

    def _range(self) -> tuple[int, int, int]:
        """The value axis: low, high (both multiples of the step, zero between) and step."""
        values = [p.minor for p in self.data.points] if self.data else []
        low, high = min([0, *values]), max([0, *values])
        step = nice_step(max(high - low, 500))  # all zero: an axis to 1.00, not to 0.01
        return math.floor(low / step) * step, max(math.ceil(high / step) * step, step), step

    def _plot(self) -> QRectF:
        """The rectangle inside the axes' labels."""
        fm = self.fontMetrics()
        data = self.data
        assert data is not None
        low, high, step = self._range()
        if data.shape == "bars":  # category names on the left, amounts below
            names = max((fm.horizontalAdvance(label) for label in data.labels), default=0)
            left = min(names, self.width() // 3) + _PAD
        else:
            left = max(fm.horizontalAdvance(money_text(v, data.currency))
                       for v in range(low, high + 1, step)) + _PAD  # fmt: skip
        top = fm.height() * 2 if len(data.series) > 1 else fm.height()
        return QRectF(left, top, self.width() - left - _PAD * 2,
                      self.height() - top - fm.height() * 2 - _PAD)  # fmt: skip

    def _scale(self, plot: QRectF) -> tuple[float, float]:
        """(pixel of zero, pixels per minor unit) along the value axis."""
        low, high, _ = self._range()
        if self.data is not None and self.data.shape == "bars":
            per = plot.width() / (high - low)
            return plot.left() - low * per, per
        per = plot.height() / (high - low)
        return plot.bottom() + low * per, -per

    def shapes(self) -> list[QRectF]:
        """Each point's drawn rectangle (a bar, or a line's marker), in the points' order;
        laid out once per data and size (every mouse move asks)."""
        size = (self.width(), self.height())
        if self._laid_out is None or self._laid_out[0] != size:
            self._laid_out = size, self._layout()
        return self._laid_out[1]

    def _layout(self) -> list[QRectF]:
        data = self.data
        if data is None or not data.points or self.width() < 80 or self.height() < 80:
            return []
        plot = self._plot()
        zero, per = self._scale(plot)
        labels = data.labels
        slot = (plot.height() if data.shape == "bars" else plot.width()) / len(labels)
        place = {label: i for i, label in enumerate(labels)}
        origin = plot.top() if data.shape == "bars" else plot.left()
        series = data.series
        out = []
        for point in data.points:
            value = zero + point.minor * per
            start = origin + place[point.label] * slot
            if data.shape == "line":
                x = start + slot / 2
                out.append(QRectF(x - 4, value - 4, 8, 8))
            elif data.shape == "bars":
                band = min(slot * 0.7, 28.0)
                out.append(QRectF(min(zero, value), start + (slot - band) / 2,
                                  max(abs(value - zero), 1.0), band))  # fmt: skip
            else:
                width = slot * 0.8 / len(series)
                x = start + slot * 0.1 + series.index(point.series) * width
                out.append(QRectF(x, min(zero, value), width, max(abs(value - zero), 1.0)))
        return out

    def point_at(self, pos: QPoint | QPointF) -> int | None:
        """The point under ``pos``: a bar, or the line's point nearest across (within its slot)."""
        shapes = self.shapes()
        if self.data is not None and self.data.shape == "line" and shapes:
            # the nearest date across, then (two lines) the nearer of its points
            nearest = min(range(len(shapes)),
                          key=lambda i: (abs(shapes[i].center().x() - pos.x()),
                                         abs(shapes[i].center().y() - pos.y())))  # fmt: skip
            labels = len(self.data.labels)
            slot = shapes[1].center().x() - shapes[0].center().x() if labels > 1 else 1e9
            return nearest if abs(shapes[nearest].center().x() - pos.x()) <= slot / 2 + 4 else None
        hits = [i for i, r in enumerate(shapes) if r.adjusted(-2, -2, 2, 2).contains(QPointF(pos))]
        return hits[0] if hits else None

    def tooltip_at(self, pos: QPoint | QPointF) -> str | None:
        index = self.point_at(pos)
        return None if index is None or self.data is None else point_text(self.data.points[index])

    # --- input -----------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.point_at(event.position())
        if index != self.current:
            self.current = index
            self.update()
        if index is None or self.data is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(),
                              point_text(self.data.points[index]), self)  # fmt: skip

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.point_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None and self.data:
            self.current = index
            self.update()
            self.point_activated.emit(self.data.points[index])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        count = len(self.data.points) if self.data else 0
        key = Qt.Key(event.key())
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1,
                 Qt.Key.Key_Home: -count, Qt.Key.Key_End: count}  # fmt: skip
        if count and key in steps:
            start = self.current if self.current is not None else (-1 if steps[key] > 0 else count)
            self.choose(max(0, min(count - 1, start + steps[key])))
        elif count and self.current is not None and key in (
            Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):  # fmt: skip
            assert self.data is not None
            self.point_activated.emit(self.data.points[self.current])
        else:
            super().keyPressEvent(event)

    def choose(self, index: int) -> None:
        """Make point ``index`` the current one and say its value beside it."""
        self.current = index
        self.update()
        shapes = self.shapes()
        if self.data is not None and index < len(shapes):
            text = point_text(self.data.points[index])
            self.setAccessibleDescription(text)
            QToolTip.showText(self.mapToGlobal(shapes[index].topRight().toPoint()), text, self)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        QToolTip.hideText()
        super().focusOutEvent(event)

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        group = QPalette.ColorGroup.Disabled if self.stale else QPalette.ColorGroup.Active
        text = palette.color(group, QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        data, shapes = self.data, self.shapes()
        if data is None or not shapes:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "Nothing to chart for this period" if data else "")  # fmt: skip
            return
        plot = self._plot()
        self._paint_axes(painter, plot, text)
        colors = {s: QColor(COLORS[s]) for s in data.series}
        if self.stale:
            for color in colors.values():
                color.setAlpha(90)
        if data.shape == "line":
            for series in data.series:
                line = [r for p, r in zip(data.points, shapes, strict=True) if p.series == series]
                pen = QPen(colors[series], 2)
                if series == KNOWN_NOW:
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawPolyline(QPolygonF([r.center() for r in line]))
                if len(line) <= 60:  # markers only where they do not merge into a band
                    painter.setBrush(colors[series])
                    for r in line:
                        painter.drawEllipse(r.center(), 3, 3)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            for point, r in zip(data.points, shapes, strict=True):
                painter.fillRect(r, colors[point.series])
            if data.shape == "bars":
                self._paint_amounts(painter, shapes, text)
        if self.current is not None and self.current < len(shapes):
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(shapes[self.current].adjusted(-2, -2, 2, 2))
        if len(data.series) > 1:
            self._paint_legend(painter, text, colors)

    def _paint_axes(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        data = self.data
        assert data is not None
        fm = self.fontMetrics()
        low, high, step = self._range()
        zero, per = self._scale(plot)
        grid = QColor(text)
        grid.setAlpha(40)
        horizontal = data.shape == "bars"
        for value in range(low, high + 1, step):
            where = zero + value * per
            label = money_text(value, data.currency)
            painter.setPen(QPen(text if value == 0 else grid, 1))
            if horizontal:
                painter.drawLine(QPointF(where, plot.top()), QPointF(where, plot.bottom()))
            else:
                painter.drawLine(QPointF(plot.left(), where), QPointF(plot.right(), where))
            painter.setPen(text)
            if horizontal:  # amounts under the bars, each centred on its line
                if value in (low, high) or (high - low) // step <= 4:
                    width = fm.horizontalAdvance(label)
                    x = min(max(where - width / 2, 0), self.width() - width)
                    painter.drawText(QPointF(x, plot.bottom() + fm.ascent() + 4), label)
            else:
                width = fm.horizontalAdvance(label)
                painter.drawText(QPointF(plot.left() - width - 6, where + fm.ascent() / 2), label)
        labels = data.labels
        slot = (plot.height() if horizontal else plot.width()) / len(labels)
        if horizontal:
            if slot >= fm.height() * 0.9:
                for i, label in enumerate(labels):
                    shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(plot.left()) - 8)
                    y = plot.top() + i * slot + slot / 2 + fm.ascent() / 2 - 1
                    painter.drawText(QPointF(plot.left() - fm.horizontalAdvance(shown) - 6, y),
                                     shown)  # fmt: skip
            return
        widest = max(fm.horizontalAdvance(label) for label in labels) + 10
        every = max(1, math.ceil(widest / slot))  # every n-th place, so labels never overlap
        for i in range(0, len(labels), every):
            x = plot.left() + i * slot + slot / 2 - fm.horizontalAdvance(labels[i]) / 2
            painter.drawText(QPointF(max(x, 0), plot.bottom() + fm.ascent() + 4), labels[i])

    def _paint_amounts(self, painter: QPainter, shapes: list[QRectF], text: QColor) -> None:
        """Each bar's amount at its end, where there is room (categories are read, not
        estimated from the axis)."""
        data = self.data
        assert data is not None
        fm = self.fontMetrics()
        if not shapes or shapes[0].height() < fm.height() * 0.8:
            return
        painter.setPen(text)
        for point, r in zip(data.points, shapes, strict=True):
            label = money_text(point.minor, point.currency)
            width = fm.horizontalAdvance(label)
            y = r.center().y() + fm.ascent() / 2 - 1
            if point.minor >= 0 and r.right() + width + 6 <= self.width() - _PAD:
                painter.drawText(QPointF(r.right() + 4, y), label)
            elif r.width() > width + 8:  # no room after it: inside, at its end
                painter.setPen(QColor("white"))
                x = r.right() - width - 4 if point.minor >= 0 else r.left() + 4
                painter.drawText(QPointF(x, y), label)
                painter.setPen(text)

    def _paint_legend(self, painter: QPainter, text: QColor, colors: dict[str, QColor]) -> None:
        fm = self.fontMetrics()
        x = float(self.width() - _PAD)
        for series in reversed(list(colors)):
            x -= fm.horizontalAdvance(series) + 4
            painter.setPen(text)
            painter.drawText(QPointF(x, fm.ascent() + 2), series)
            x -= 14
            painter.fillRect(QRectF(x, 3, 10, 10), colors[series])
            x -= 16
