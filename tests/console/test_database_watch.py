"""Changes by other writers reach the console: ``PRAGMA data_version`` notices them,
the audit log says what changed, and the catalog re-reads it (issue 15, flow 4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from opsconsole.console.database_watch import DataVersion, catalog_changes
from opsconsole.console.model import ConsoleModel
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store import catalog_edits
from opsconsole.store.change_feed import last_change_id
from opsconsole.store.database import Store
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH


def _seeded(path: Path) -> None:
    with Store(path) as store:
        seed_defaults(store, SYNTHETIC_EPOCH)


def test_data_version_notices_commits_of_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    _seeded(path)
    watch = DataVersion(path)
    assert not watch.changed()  # the first look is the starting point
    assert not watch.changed()
    with Store(path) as other:
        site = catalog_edits.site_rows(other)[0]
        values = catalog_edits.site_values(other, int(site["id"]))
        catalog_edits.update_site(other, int(site["id"]), {**values, "name": "Renamed"})
    assert watch.changed()
    assert not watch.changed()
    watch.close()


def test_a_missing_database_counts_as_unchanged(tmp_path: Path) -> None:
    watch = DataVersion(tmp_path / "nowhere.sqlite")
    assert not watch.changed() and not watch.changed()


def test_the_catalog_rereads_what_another_writer_changed(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    _seeded(path)
    clock = SimulationClock(SYNTHETIC_EPOCH, utc_now=lambda: SYNTHETIC_EPOCH)
    model = ConsoleModel.open(path, Store(path), clock)
    catalog = model.catalog
    reloaded: list[None] = []
    plans: list[int | None] = []
    catalog.ground_reloaded.connect(reloaded.append)
    catalog.plans_changed.connect(plans.append)
    assert not catalog.refresh().any  # nothing since it was loaded
    with Store(path) as cli:
        site = catalog_edits.site_rows(cli)[0]
        values = catalog_edits.site_values(cli, int(site["id"]))
        catalog_edits.update_site(cli, int(site["id"]), {**values, "name": "Quay 4"})
    changes = catalog.refresh()
    assert changes.ground and not changes.plans and not changes.elements
    assert catalog.data.site(int(site["id"]))["name"] == "Quay 4"  # type: ignore[index]
    assert reloaded == [None] and plans == []
    with Store(path) as cli:
        params = PlanParameters(start=SYNTHETIC_EPOCH + timedelta(hours=8), duration_s=600.0,
                                step_s=60.0)  # fmt: skip
        create_plan(cli, PlanRequest("from the command line", params,
                                     customers=("Harbourline Ports Group",)))  # fmt: skip
        newest = last_change_id(cli)
    changes = catalog.refresh()
    assert changes.plans and not changes.ground and changes.last_id == newest
    assert plans == [None] and catalog.seen_change_id == newest
    assert not catalog.elements_stale()
    catalog.store.close()


def test_a_reseed_counts_as_everything(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
        changes = catalog_changes(store, 0)
    assert changes.plans and changes.ground and changes.elements
