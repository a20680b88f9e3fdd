"""Help → About: the version of opsconsole and of what it runs on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from opsconsole import __version__


def show_about(parent: QWidget, db_path: Path) -> None:
    """The About box: versions of opsconsole, Qt, vispy, skyfield, sgp4, numpy, and the
    database in use."""
    import numpy as np
    import PySide6
    import sgp4
    import skyfield
    import vispy

    QMessageBox.about(
        parent,
        "About opsconsole",
        (
            f"<b>opsconsole {__version__}</b><br>Satellite-internet operations console.<br><br>"
            f"PySide6 {PySide6.__version__} (Qt {PySide6.QtCore.qVersion()}), vispy "
            f"{vispy.__version__}, skyfield {skyfield.__version__}, sgp4 {sgp4.__version__}, "
            f"numpy {np.__version__}<br>Database: {db_path}"
        ),
    )
