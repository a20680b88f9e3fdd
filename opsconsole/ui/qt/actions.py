"""Every menu and toolbar command, declared once.

:data:`ACTIONS` lists each command's id, menu, text, shortcut, whether it toggles, its
initial state and whether it is on the toolbar. :func:`build_actions` turns the list into
``QAction`` objects owned by the window; menus and the toolbar are built from the same
list, so a command cannot appear in one place and be missing from another. The window
connects handlers by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar


@dataclass(frozen=True)
class ActionSpec:
    """One command. ``group`` makes checkable actions mutually exclusive."""

    id: str
    menu: str
    text: str
    shortcut: str = ""
    checkable: bool = False
    checked: bool = False
    toolbar: bool = False
    group: str = ""
    tip: str = ""


LAYERS = (
    ("satellites", "Satellites"),
    ("sites", "Customer sites"),
    ("gateways", "Gateways"),
    ("pops", "Points of presence"),
    ("regions", "Cloud regions"),
    ("orbit", "Orbit of selection"),
    ("ground_track", "Ground track"),
    ("footprint", "Coverage footprint"),
    ("links", "Links from selected site"),
    ("plan", "Plan: links and unserved sites"),
    ("contingency", "Contingency impact"),
    ("labels", "Labels"),
    ("night", "Night shading"),
    ("graticule", "Graticule"),
    ("coastlines", "Coastlines"),
    ("borders", "Country borders"),
)
"""(layer id, menu text) of each toggleable globe layer."""
DEFAULT_OFF = {"borders"}

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open_db", "&File", "&Open database…", "Ctrl+O"),
    ActionSpec("new_db", "&File", "&New database…", "Ctrl+N"),
    ActionSpec("import_elements", "&File", "Import &elements (TLE/OMM)…", "Ctrl+I", toolbar=True),
    ActionSpec("import_sites", "&File", "Import &sites (CSV/GeoJSON)…", "Ctrl+Shift+I"),
    ActionSpec("quit", "&File", "&Quit", "Ctrl+Q"),
    ActionSpec("undo", "&Edit", "&Undo", "Ctrl+Z", toolbar=True),
    ActionSpec("redo", "&Edit", "&Redo", "Ctrl+Shift+Z", toolbar=True),
    ActionSpec("find", "&Edit", "&Find in explorer", "Ctrl+F"),
    *(
        ActionSpec(f"layer_{key}", "&View", text, checkable=True, checked=key not in DEFAULT_OFF)
        for key, text in LAYERS
    ),
    ActionSpec(
        "color_shell", "&View", "Colour by &shell", checkable=True, checked=True, group="color"
    ),
    ActionSpec("color_plane", "&View", "Colour by &plane", checkable=True, group="color"),
    ActionSpec("color_status", "&View", "Colour by s&tatus", checkable=True, group="color"),
    ActionSpec("follow", "&View", "&Follow selected satellite", "F", checkable=True, toolbar=True),
    ActionSpec("reset_view", "&View", "&Reset view", "Home", toolbar=True),
    ActionSpec(
        "refresh",
        "&View",
        "Re&fresh from the database",
        "F5",
        tip="Re-read plans and the catalog (changes by other processes show by "
        "themselves within about 2 s)",
    ),
    ActionSpec("play", "&Time", "&Play / pause", "Space", toolbar=True),
    ActionSpec("slower", "&Time", "&Slower", "["),
    ActionSpec("faster", "&Time", "&Faster", "]"),
    ActionSpec("reverse", "&Time", "Re&verse", "Backspace"),
    ActionSpec("step_back", "&Time", "Step &back 1 min", ","),
    ActionSpec("step_forward", "&Time", "Step f&orward 1 min", "."),
    ActionSpec("now", "&Time", "Jump to &now", "Ctrl+J", toolbar=True),
    ActionSpec("customers_view", "&Customers", "&Customers and SLAs", "Ctrl+Shift+C",
               tip="Every customer's availability, SLA status and credit this month so far"),
    ActionSpec("incidents_view", "&Customers", "&Incidents and maintenance"),
    ActionSpec("log_incident", "&Customers", "&Log an incident…", "Ctrl+Shift+L"),
    ActionSpec("plan_maintenance", "&Customers", "&Plan a maintenance…"),
    ActionSpec("site_check", "&Customers", "Can we &serve a site…?",
               tip="The onboarding check at the point the globe looks at (or right-click "
               "the globe)"),
    ActionSpec("import_contracts", "&Customers", "I&mport contracts (TOML/CSV)…"),
    ActionSpec("export_contracts", "&Customers", "E&xport contracts…"),
    ActionSpec("about", "&Help", "&About opsconsole"),
)  # fmt: skip
MENUS = ("&File", "&Edit", "&View", "&Time", "&Customers", "&Help")


def build_actions(window: QMainWindow) -> dict[str, QAction]:
    """Create the window's actions, menus and toolbar from :data:`ACTIONS`."""
    actions: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    menus: dict[str, QMenu] = {name: window.menuBar().addMenu(name) for name in MENUS}
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("main_toolbar")
    window.addToolBar(toolbar)
    previous_menu = ""
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(f"action_{spec.id}")
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.checkable:
            action.setCheckable(True)
            action.setChecked(spec.checked)
        if spec.group:
            groups.setdefault(spec.group, QActionGroup(window)).addAction(action)
        if spec.tip:
            action.setStatusTip(spec.tip)
        menu = menus[spec.menu]
        if spec.menu == previous_menu and spec.id in (
            "quit",
            "color_shell",
            "follow",
            "now",
            "log_incident",
            "import_contracts",
        ):
            menu.addSeparator()
        menu.addAction(action)
        if spec.toolbar:
            toolbar.addAction(action)
        previous_menu = spec.menu
        actions[spec.id] = action
    actions["_view_menu"] = menus["&View"].menuAction()
    return actions
