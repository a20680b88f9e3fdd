"""The SLA report as a PDF (Qt's ``QPdfWriter``, A4): a cover, the summary with an
availability plot (one bar per site against the objective), and the outages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter, QPen, QTextDocument

from opsconsole.atomic_files import temporary_beside
from opsconsole.customers.sla_html import PLOT_NAME, sla_html

PLOT_SIZE = (1240, 420)
PDF_DPI = 150
MET, MISSED, OBJECTIVE = "#2e9a57", "#c23b22", "#1f3f8f"


def availability_plot(report: Mapping[str, Any], size: tuple[int, int] = PLOT_SIZE) -> QImage:
    """One bar per site: its availability (green met, red missed) on an axis from just
    below the lowest value to 100 %, with the objective as a blue line."""
    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    sites = report["sites"]
    objective = float(report["contract"]["availability_pct"])
    lowest = min([objective, *(float(s["availability_pct"]) for s in sites)])
    floor = max(0.0, min(objective - 0.1, lowest - (100.0 - lowest) * 0.1))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    left, right, top, bottom = 90.0, width - 20.0, 20.0, height - 60.0
    font = p.font()
    font.setPixelSize(18)
    p.setFont(font)

    def y(pct: float) -> float:
        return bottom - (bottom - top) * (pct - floor) / max(100.0 - floor, 1e-9)

    p.setPen(QPen(QColor("#888888"), 1))
    p.drawRect(QRectF(left, top, right - left, bottom - top))
    for pct in (floor, (floor + 100.0) / 2, 100.0):
        p.drawText(QPointF(8, y(pct) + 6), f"{pct:.3g} %")
    slot = (right - left) / max(len(sites), 1)
    for i, s in enumerate(sites):
        value = float(s["availability_pct"])
        x0 = left + i * slot + slot * 0.15
        colour = MET if value >= objective else MISSED
        p.fillRect(QRectF(x0, y(value), slot * 0.7, bottom - y(value)), QColor(colour))
        if len(sites) <= 16:
            label = str(s["site"])[:22]
            p.setPen(QPen(QColor("#333333")))
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            p.drawText(QRectF(left + i * slot, bottom + 4, slot, 50),
                       int(flags) | int(Qt.TextFlag.TextWordWrap), label)  # fmt: skip
    p.setPen(QPen(QColor(OBJECTIVE), 3))
    p.drawLine(QPointF(left, y(objective)), QPointF(right, y(objective)))
    p.drawText(QPointF(right - 260, y(objective) - 8), f"objective {objective:g} %")
    p.end()
    return image


def sla_document(report: Mapping[str, Any], issued: str) -> QTextDocument:
    """The report as a rich-text document with its plot attached."""
    document = QTextDocument()
    document.addResource(
        QTextDocument.ResourceType.ImageResource, QUrl(PLOT_NAME), availability_plot(report)
    )
    document.setHtml(sla_html(report, issued=issued))
    return document


def write_sla_pdf(report: Mapping[str, Any], path: str | Path) -> int:
    """Write the report as an A4 PDF (whole or not at all); returns the page count."""
    issued = f"{datetime.now(UTC):%d %B %Y %H:%M} UTC"
    with temporary_beside(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(PDF_DPI)
        writer.setTitle(f"Service level report: {report['customer']}")
        writer.setCreator("opsconsole")
        document = sla_document(report, issued)
        layout = writer.pageLayout().paintRectPixels(PDF_DPI)
        document.setPageSize(layout.size().toSizeF())
        document.print_(writer)
        pages = int(document.pageCount())
        del writer
    return pages
