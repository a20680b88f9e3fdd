"""File menu: open or create a database, import element sets and customer sites.

Reading and writing happen on a worker thread with its own database connection (SQLite
connections stay in their thread); any bad record is reported with file, line or row
and the reason, and nothing is written unless the operator chooses to skip bad records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from opsconsole.core.input_errors import InputFileError
from opsconsole.ui.qt.background import BackgroundTask

MAX_SHOWN = 12


def _issues_text(error: InputFileError) -> str:
    lines = [str(issue) for issue in error.issues[:MAX_SHOWN]]
    if len(error.issues) > MAX_SHOWN:
        lines.append(f"… and {len(error.issues) - MAX_SHOWN} more")
    return "\n".join(lines)


def ask_skip(parent: QWidget, error: InputFileError, what: str) -> bool:
    """Show every problem (first few) and ask whether to import the valid records only.
    Cancel is the default; with no valid record left, it is the only choice."""
    valid = error.valid or 0
    left = f"{valid} valid record(s) could be imported" if valid else "no valid record is left"
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"Problems in the {what} file",
        f"{len(error.issues)} invalid record(s), {left}; nothing has been written.",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDetailedText(_issues_text(error))
    box.setInformativeText(_issues_text(error))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    skip = None
    if valid:
        skip = box.addButton(
            f"Skip bad records and import the {valid} valid", QMessageBox.ButtonRole.AcceptRole
        )
    box.exec()
    return skip is not None and box.clickedButton() is skip


def import_elements(
    parent: QWidget,
    db_path: Path,
    reload: Callable[[], None],
    path: str | None = None,
    skip: bool = False,
) -> None:
    """Ask for a TLE/OMM file and import it as the active element set."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Import elements", "", "Element sets (*.tle *.txt *.json *.csv);;All (*)"
        )
        if not path:
            return

    def work(progress: Callable[[float], None], _cancelled: Callable[[], bool]) -> Any:
        from opsconsole.core.element_readers import read_elements
        from opsconsole.store.database import Store
        from opsconsole.store.element_repository import import_element_set

        elements = read_elements(path, skip_invalid=skip)
        progress(0.5)
        with Store(db_path) as store:
            import_element_set(store, elements, Path(path).name)
        return len(elements)

    def failed(error: BaseException) -> None:
        if isinstance(error, InputFileError) and not skip:
            if ask_skip(parent, error, "element"):
                import_elements(parent, db_path, reload, path, skip=True)
            return
        QMessageBox.critical(parent, "Import failed", f"{path}: {error}")

    BackgroundTask(parent, f"Importing {Path(path).name}…", work, lambda _count: reload(), failed)


def import_sites(
    parent: QWidget,
    db_path: Path,
    reload: Callable[[], None],
    path: str | None = None,
    customer: str | None = None,
    skip: bool = False,
) -> None:
    """Ask for a CSV/GeoJSON file and a customer, and import the sites."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Import sites", "", "Sites (*.csv *.geojson *.json);;All (*)"
        )
        if not path:
            return
    if customer is None:
        customer, ok = QInputDialog.getText(parent, "Import sites", "Customer name:")
        if not ok or not customer.strip():
            return
    name = customer.strip()

    def work(_progress: Callable[[float], None], _cancelled: Callable[[], bool]) -> Any:
        from opsconsole.core.site_files import read_sites
        from opsconsole.store.catalog_repository import import_site_file
        from opsconsole.store.database import Store

        def read(existing: frozenset[str]) -> Any:
            return read_sites(path, skip_invalid=skip, existing_names=existing)

        with Store(db_path) as store:
            return import_site_file(store, name, read, source=path)[0]

    def failed(error: BaseException) -> None:
        if isinstance(error, InputFileError) and not skip:
            if ask_skip(parent, error, "site"):
                import_sites(parent, db_path, reload, path, name, skip=True)
            return
        QMessageBox.critical(parent, "Import failed", f"{path}: {error}")

    BackgroundTask(
        parent, f"Importing sites from {Path(path).name}…", work, lambda _count: reload(), failed
    )


def choose_database(parent: QWidget, new: bool) -> Path | None:
    """Ask for an existing database (open) or a new file name (new)."""
    if new:
        path, _ = QFileDialog.getSaveFileName(
            parent, "New database", "opsconsole.sqlite", "SQLite databases (*.sqlite *.db)"
        )
    else:
        path, _ = QFileDialog.getOpenFileName(
            parent, "Open database", "", "SQLite databases (*.sqlite *.db);;All (*)"
        )
    return Path(path) if path else None
