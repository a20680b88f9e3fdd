"""The debrief as a Qt rich-text document with its service-level plot, and as a PDF
(Qt's ``QPdfWriter``, A4): page 1 the outcome, incidents and plot; then the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from opsconsole.atomic_files import temporary_beside
from opsconsole.training.debrief_html import PLOT_NAME, debrief_html

PLOT_SIZE = (900, 300)
"""Plot image size (pixels)."""
PDF_DPI = 150


def service_plot(report: Mapping[str, Any], size: tuple[int, int] = PLOT_SIZE) -> QImage:
    """Share of sites (blue) and of demand (green) within objective per slot, 0-100 %,
    with every incident's span shaded."""
    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    level = report["service_level"]
    times = [datetime.fromisoformat(t) for t in level["times_utc"]]
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    left, right, top, bottom = 50.0, width - 10.0, 10.0, height - 30.0
    span = max((times[-1] - times[0]).total_seconds(), 1.0) if times else 1.0

    def x(moment: datetime) -> float:
        return left + (right - left) * (moment - times[0]).total_seconds() / span

    def y(pct: float) -> float:
        return bottom - (bottom - top) * pct / 100.0

    for incident in report["incidents"]:  # shaded spans
        start = datetime.fromisoformat(incident["start_utc"])
        end = datetime.fromisoformat(incident["end_utc"])
        p.fillRect(QRectF(x(start), top, max(x(end) - x(start), 1.0), bottom - top),
                   QColor(255, 200, 120, 90))  # fmt: skip
    p.setPen(QPen(QColor("#888888"), 1))
    p.drawRect(QRectF(left, top, right - left, bottom - top))
    for pct in (0, 50, 100):
        p.drawText(QPointF(8, y(pct) + 4), f"{pct} %")
    if times:
        for moment, align in ((times[0], left), (times[-1], right - 70)):
            p.drawText(QPointF(align, height - 10), f"{moment:%H:%M} UTC")
    p.setPen(QPen(QColor("#1f6fc2")))
    p.drawText(QPointF(left + 250, height - 10), "sites within objective")
    p.setPen(QPen(QColor("#2e9a57")))
    p.drawText(QPointF(left + 420, height - 10), "demand within objective")
    for key, colour in (("sites_within_objective_pct", "#1f6fc2"),
                        ("demand_within_objective_pct", "#2e9a57")):  # fmt: skip
        path = QPainterPath()
        for i, (moment, pct) in enumerate(zip(times, level[key], strict=True)):
            point = QPointF(x(moment), y(float(pct)))
            path.moveTo(point) if i == 0 else path.lineTo(point)
        p.setPen(QPen(QColor(colour), 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    p.end()
    return image


def debrief_document(report: Mapping[str, Any]) -> QTextDocument:
    """The debrief as a document (HTML from ``training.debrief_html``, plot attached)."""
    document = QTextDocument()
    document.addResource(
        QTextDocument.ResourceType.ImageResource, QUrl(PLOT_NAME), service_plot(report)
    )
    document.setHtml(debrief_html(report))
    return document


def write_pdf(report: Mapping[str, Any], path: str | Path) -> int:
    """Write the debrief as an A4 PDF (whole or not at all: through a temporary file
    renamed at the end); returns the number of pages."""
    with temporary_beside(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(PDF_DPI)
        writer.setTitle(f"Debrief: {report['title']}")
        document = debrief_document(report)
        layout = writer.pageLayout().paintRectPixels(PDF_DPI)
        document.setPageSize(layout.size().toSizeF())
        document.print_(writer)
        pages = int(document.pageCount())
        del writer  # closes the file before it is renamed
    return pages
