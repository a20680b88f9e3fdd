"""A writer killed in the middle of an import leaves the database intact: all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from opsconsole.store.database import Store
from opsconsole.store.seed import open_store

WRITER = textwrap.dedent("""
    import sys, time
    from opsconsole.core.catalog import SiteSpec
    from opsconsole.store.catalog_repository import import_sites
    from opsconsole.store.database import Store

    def sites():
        for k in range(2000):
            if k == 1000:
                print("halfway", flush=True)
                time.sleep(60)  # killed here, with 1,000 rows written inside the transaction
            yield SiteSpec(f"site {k}", 10.0, 20.0)

    store = Store(sys.argv[1])
    import_sites(store, "Killed import", sites())
""")


def test_sigkill_mid_import_leaves_all_or_nothing(db_path: Path) -> None:
    open_store(str(db_path)).close()
    before = Store(db_path)
    sites_before = before.db["sites"].count
    audit_before = before.db["audit_log"].count
    before.close()

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "halfway"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    with Store(db_path) as store:
        assert store.integrity_check() == []
        assert store.db["sites"].count == sites_before
        assert store.db["audit_log"].count == audit_before
        assert not store.db["customers"].count_where("name = ?", ["Killed import"])
        # and the database still takes writes afterwards
        from opsconsole.core.catalog import SiteSpec
        from opsconsole.store.catalog_repository import import_sites

        assert import_sites(store, "After the crash", [SiteSpec("ok", 1.0, 1.0)]) == 1
