"""The console reads and refreshes while two command-line writers import sites and
create, approve and activate plans on the same file for 60 s: zero errors on either
side, every change seen, and an intact file (issue 15, flow 5).

The malformed-database error once logged after command-line writes was not reproduced
(here or in this test); docs/console.md says what was checked. This test is the guard.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from opsconsole.console.console_data import ConsoleData
from opsconsole.console.database_watch import DataVersion
from opsconsole.console.model import ConsoleModel
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.plans.playback import PlanPlayback
from opsconsole.store.catalog_edits import site_rows
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import active_plan_id, list_plans, load_plan
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH

DURATION_S = 60.0
SITES = (
    "name,lat,lon,demand_mbps,max_rtt_ms,priority\n"
    "Rig {n} A,58.{d},1.5,200,80,2\nRig {n} B,59.{d},2.5,150,80,3\n"
)


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opsconsole", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def _importer(db: Path, folder: Path, until: float, log: list[str], done: list[int]) -> None:
    n = 0
    while time.monotonic() < until:
        path = folder / f"sites-{n % 3}.csv"
        path.write_text(SITES.format(n=n, d=n % 10))  # new sites each time
        result = _cli(db, "sites", "import", str(path), "--customer", f"Stress {n % 2}")
        if result.returncode != 0:
            log.append(f"sites import: {result.returncode} {result.stderr.strip()}")
        done.append(n)
        n += 1


def _planner(db: Path, until: float, log: list[str], done: list[int]) -> None:
    start = (SYNTHETIC_EPOCH + timedelta(hours=8)).isoformat()
    n = 0
    while time.monotonic() < until:
        made = _cli(db, "plan", "create", "--name", f"stress {n}", "--start", start,
                    "--hours", "0.25", "--step", "60", "--customer",
                    "Harbourline Ports Group", "--workers", "1", "--format", "json")  # fmt: skip
        if made.returncode != 0:
            log.append(f"plan create: {made.returncode} {made.stderr.strip()}")
            continue
        plan_id = made.stdout.split('"id": ')[1].split(",")[0]
        for action in ("approve", "activate"):
            result = _cli(db, "plan", action, plan_id)
            if result.returncode != 0:
                log.append(f"plan {action}: {result.returncode} {result.stderr.strip()}")
        done.append(int(plan_id))
        n += 1


@pytest.mark.slow
def test_console_reads_while_two_cli_writers_write(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    with Store(db) as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
    clock = SimulationClock(SYNTHETIC_EPOCH, utc_now=lambda: SYNTHETIC_EPOCH)
    model = ConsoleModel.open(db, Store(db), clock)
    catalog = model.catalog
    until = time.monotonic() + DURATION_S
    writer_errors: list[str] = []
    imports: list[int] = []
    plans: list[int] = []
    writers = [
        threading.Thread(target=_importer, args=(db, tmp_path, until, writer_errors, imports)),
        threading.Thread(target=_planner, args=(db, until, writer_errors, plans)),
    ]
    for writer in writers:
        writer.start()
    reader_errors: list[str] = []
    reads = refreshes = 0
    watch = DataVersion(db)
    watch.changed()
    last_full = time.monotonic()
    data = catalog.data
    while any(w.is_alive() for w in writers):
        try:
            if watch.changed():
                catalog.refresh()
                refreshes += 1
            list_plans(catalog.store)
            active = active_plan_id(catalog.store)
            if active is not None:
                stored = load_plan(catalog.store, active)
                PlanPlayback(stored, data.elements.norad_ids, data.gateways, data.regions)
            site_rows(catalog.store)
            if time.monotonic() - last_full > 5.0:  # a full reload, as after an import
                with Store(db) as own:  # the console's worker thread opens its own
                    data = ConsoleData.load(own, clock.now())
                last_full = time.monotonic()
            reads += 1
        except Exception as exc:  # every error counts, whatever its kind
            reader_errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.05)
    for writer in writers:
        writer.join()
    catalog.refresh()
    names = {str(s["customer"]) for s in catalog.data.sites}
    integrity = catalog.store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    catalog.store.close()
    watch.close()
    assert reader_errors == [] and writer_errors == []
    assert len(imports) >= 3 and len(plans) >= 2, (imports, plans)
    assert reads > 100 and refreshes >= len(plans)
    assert {"Stress 0", "Stress 1"} & names  # the console saw the imported customers
    assert integrity == "ok"
