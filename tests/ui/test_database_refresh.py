"""Issue 15, broken flow 4: a plan made and activated from the command line never showed
in a running console. Now the console watches the database and shows it within 2 s;
View → Refresh (F5) re-reads at once."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import SYNTHETIC_EPOCH

pytestmark = pytest.mark.gl


def _cli(db: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "opsconsole", *args, "--db", str(db)],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_plan_activated_from_the_command_line_shows_within_2_s(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    window.clock.pause()
    plans = window.plans
    before = plans.table.rowCount()
    start = (SYNTHETIC_EPOCH + timedelta(hours=1)).isoformat()
    out = _cli(window.db_path, "plan", "create", "--name", "from the shell", "--start", start,
               "--hours", "0.25", "--step", "60", "--customer", "Harbourline Ports Group",
               "--workers", "1", "--format", "json")  # fmt: skip
    plan_id = out.split('"id": ')[1].split(",")[0]
    _cli(window.db_path, "plan", "approve", plan_id)
    _cli(window.db_path, "plan", "activate", plan_id)
    written = time.monotonic()
    cells = lambda: [plans._cell(r, 0) for r in range(plans.table.rowCount())]  # noqa: E731
    qtbot.waitUntil(lambda: plan_id in cells(), timeout=2_000)  # the Plans dock
    row = cells().index(plan_id)
    qtbot.waitUntil(lambda: plans._cell(row, 2) == "active", timeout=2_000)
    qtbot.waitUntil(
        lambda: (
            window.plan_on_globe.playback is not None
            and window.plan_on_globe.playback.plan_id == int(plan_id)
        ),
        timeout=4_000,  # loading the plan for the globe runs in the background
    )
    window._live_refresh()
    text = window.status.plan.text()
    assert f"plan {plan_id}" in text and "(active)" in text, text
    assert plans.table.rowCount() == before + 1
    assert time.monotonic() - written < 6.0


def test_f5_refreshes_at_once(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    action = window.commands["refresh"]
    assert action.shortcut().toString() == "F5" and "Refresh" in action.text().replace("&", "")
    window.database_watch.stop()  # only F5 now
    site = window.data.sites[0]
    csv = Path(window.db_path).with_name("one.csv")
    csv.write_text("name,lat,lon\nShell added depot,61.0,5.0\n")
    _cli(window.db_path, "sites", "import", str(csv), "--customer", str(site["customer"]))
    assert not any(s["name"] == "Shell added depot" for s in window.data.sites)
    action.trigger()
    assert any(s["name"] == "Shell added depot" for s in window.data.sites)
    found = window.explorer.models["customers"].findItems("Shell added depot", _recursive())
    assert found, "the Explorer lists the new site"


def _recursive():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly
