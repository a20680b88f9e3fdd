"""The debrief shown at the end of a session, with "Export PDF…"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opsconsole.ui.qt.debrief_document import debrief_document, write_pdf


class DebriefDialog(QDialog):
    """The debrief document of one report (see ``training.debrief``)."""

    def __init__(self, report: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Debrief: {report['title']}")
        self.report = report
        self.view = QTextBrowser(self)
        self.document = debrief_document(report)
        self.document.setParent(self)
        self.view.setDocument(self.document)
        self.message = QLabel("", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        export = QPushButton("Export PDF…", self)
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        export.clicked.connect(self._export)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(980, 760)

    def _export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Export debrief", "debrief.pdf",
                                                    "PDF (*.pdf)")  # fmt: skip
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> int:
        """Write the PDF; returns its number of pages."""
        pages = write_pdf(self.report, path)
        self.message.setText(f"Wrote {path} ({pages} pages).")
        return pages
