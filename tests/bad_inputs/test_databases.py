"""Nothing is written where it should not be: empty, mistyped or foreign --db paths,
schema versions that do not fit, element refreshes that would lose satellites, two
imports of one file at once."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from opsconsole.store.migrations import SCHEMA_VERSION

from ..helpers import omm_fields
from ..local_server import LocalServer
from .conftest import Run, dump_hash, run_cli


def _bytes(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_db_is_refused(tmp_path: Path) -> None:
    result = run_cli("sites", "list", "--db", "")
    assert result.code == 1 and "--db is empty" in result.err and "Traceback" not in result.err
    result = run_cli("sites", "import", str(tmp_path / "x.csv"), "--customer", "A", "--db", " ")
    assert result.code == 1 and "--db is empty" in result.err


READING = [("sites", "list"), ("elements", "list"), ("db", "check"), ("plan", "list"),
           ("plan", "show", "1")]  # fmt: skip
"""Commands that only read the database."""


@pytest.mark.parametrize(
    "command",
    [*READING, ("plan", "export", "1", "--format", "csv", "--out", "x.csv"),
     ("regions", "list"), ("propagate", "--at", "2026-05-13T06:00Z")],
)  # fmt: skip
def test_another_applications_file_is_left_unchanged(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = tmp_path / "places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO bookmarks (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = _bytes(path)
    result = run_cli(*command, "--db", str(path))
    assert result.code == 1, result
    assert "is not an opsconsole database (it has the tables bookmarks" in result.err
    assert "Traceback" not in result.err
    assert _bytes(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.sqlite"]  # no -wal/-shm


def test_importing_into_a_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE bookmarks (id INTEGER)").connection.close()
    sites = tmp_path / "s.csv"
    sites.write_text("name,lat,lon\nA,1,1\n")
    before = _bytes(path)
    result = run_cli("sites", "import", str(sites), "--customer", "A", "--db", str(path))
    assert result.code == 1 and "not an opsconsole database" in result.err
    assert _bytes(path) == before


@pytest.mark.parametrize(
    "command", [*READING, ("elements", "activate", "1"), ("contingency", "1", "--latest")]
)
def test_a_mistyped_db_is_refused_by_commands_that_read(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = tmp_path / "typo" / "ops.sqlite"
    result = run_cli(*command, "--db", str(path))
    assert result.code == 1 and f"no database at {path}" in result.err, result
    assert not (tmp_path / "typo").exists()


def test_a_command_that_writes_says_it_created_a_database(tmp_path: Path) -> None:
    sites = tmp_path / "s.csv"
    sites.write_text("name,lat,lon\nA,1,1\n")
    path = tmp_path / "new" / "ops.sqlite"
    result = run_cli("sites", "import", str(sites), "--customer", "A", "--db", str(path))
    assert result.code == 0, result.err
    assert f"created new database at {path}" in result.err
    again = run_cli("sites", "list", "--db", str(path))
    assert again.code == 0 and "created" not in again.err


def test_the_default_database_is_still_created_on_first_use() -> None:
    result = run_cli("regions", "list")  # XDG dirs are private to the test (conftest)
    assert result.code == 0 and "azure" in result.out.lower()


def _with_version(db: Path, version: int) -> Path:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    return db


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        (SCHEMA_VERSION + 1, "is newer than this opsconsole supports"),
        (0, "schema version 0 does not match its tables"),
        (-1, "schema version -1 does not match its tables"),
        (3, "schema version 3 does not match its tables (unexpected tables"),
    ],
)
def test_db_check_refuses_a_version_before_changing_anything(
    db: Path, version: int, reason: str
) -> None:
    _with_version(db, version)
    before = _bytes(db)
    result = run_cli("db", "check", "--db", str(db))
    assert result.code == 1 and reason in result.err, result
    assert "duplicate column" not in result.err and "Traceback" not in result.err
    assert _bytes(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()


def test_refresh_is_all_or_nothing(db: Path, tmp_path: Path) -> None:
    good = omm_fields()
    bad = [omm_fields(NORAD_CAT_ID=50_000 + i, MEAN_MOTION=-1) for i in range(50)]
    server = LocalServer(json.dumps([good, *bad]).encode())
    try:
        before = dump_hash(db)
        common = ("elements", "refresh", "--url", server.url, "--cache-dir", str(tmp_path / "c"),
                  "--db", str(db))  # fmt: skip
        refused = run_cli(*common)
        assert refused.code == 1 and "50 problem(s); nothing was written" in refused.err
        assert dump_hash(db) == before
        kept = run_cli(*common, "--skip-invalid")
        assert kept.code == 0 and "1 satellites" in kept.out and "skipped 50" in kept.err
    finally:
        server.close()


def test_refresh_that_loses_most_satellites_needs_force(db: Path, tmp_path: Path) -> None:
    many = [omm_fields(NORAD_CAT_ID=44_000 + i, MEAN_ANOMALY=float(i)) for i in range(20)]
    server = LocalServer(json.dumps(many).encode())
    cache = str(tmp_path / "c")
    try:
        first = run_cli(
            "elements", "refresh", "--url", server.url, "--cache-dir", cache, "--db", str(db)
        )
        assert first.code == 0, first.err  # the seeded synthetic set does not count
        server.body = json.dumps(many[:15]).encode()
        common = ("elements", "refresh", "--url", server.url, "--cache-dir", cache,
                  "--max-age-hours", "0", "--db", str(db))  # fmt: skip
        before = dump_hash(db)
        refused = run_cli(*common)
        assert (
            refused.code == 1 and "lacks 5 of the active set's 20 satellites (25 %" in refused.err
        )
        assert "--force" in refused.err and dump_hash(db) == before
        forced = run_cli(*common, "--force")
        assert forced.code == 0 and "15 satellites" in forced.out, forced.err
    finally:
        server.close()


def test_two_imports_of_one_file_at_once(db: Path, tmp_path: Path) -> None:
    sites = tmp_path / "s.csv"
    sites.write_text(
        "name,lat,lon\n" + "".join(f"site {i},{i % 80},{i % 170}\n" for i in range(400))
    )
    argv = [sys.executable, "-m", "opsconsole", "sites", "import", str(sites), "--db", str(db)]
    for extra in ([], ["--skip-invalid"]):
        customer = ["--customer", f"Twice {len(extra)}"]
        runs = [subprocess.Popen([*argv, *customer, *extra], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
        results = [(p.wait(60), *p.communicate()) for p in runs]
        codes = sorted(code for code, _out, _err in results)
        errors = " ".join(err for _code, _out, err in results)
        assert "UNIQUE constraint" not in errors and "Traceback" not in errors, errors
        # the second waits for the first's transaction, then finds every row stored
        assert codes == [0, 1] and "the customer has it already" in errors
    listed = json.loads(run_cli("sites", "list", "--format", "json", "--db", str(db)).out)
    for name in ("Twice 0", "Twice 1"):
        assert len([s for s in listed if s["customer"] == name]) == 400


def test_refused_checks_the_dump(refused: Callable[..., Run], tmp_path: Path) -> None:
    """The catalogue's own check notices a change (so the other tests can fail)."""
    sites = tmp_path / "s.csv"
    sites.write_text("name,lat,lon\nA,1,1\n")
    with pytest.raises(AssertionError):
        refused("sites", "import", str(sites), "--customer", "A")


def test_an_export_cut_short_by_a_file_size_limit_keeps_the_previous_file(
    db: Path, tmp_path: Path
) -> None:
    """``ulimit -f``: the write fails part-way (EFBIG), the error is named, the file
    exported before is intact and no temporary file is left behind."""
    import shutil

    if shutil.which("bash") is None:
        pytest.skip("needs bash for ulimit")
    window = ("--start", "2026-05-13T00:00Z", "--hours", "1", "--workers", "1")
    made = run_cli("plan", "create", "--name", "p", *window, "--format", "json", "--db", str(db))
    assert made.code == 0, made.err
    plan_id = json.loads(made.out)["id"]
    out = tmp_path / "exports" / "schedule.csv"
    out.parent.mkdir()
    out.write_text("previous export\n")
    limit_kib = 256  # above SQLite's 32 KiB shared-memory file, below the export
    command = (f"ulimit -f {limit_kib}; exec {sys.executable} -m opsconsole plan export "
               f"{plan_id} --format csv --out {out} --db {db}")  # fmt: skip
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done
    assert "File too large" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["schedule.csv"]
    full = run_cli("plan", "export", str(plan_id), "--format", "csv", "--out", str(out),
                   "--db", str(db))  # fmt: skip
    assert full.code == 0 and out.stat().st_size > limit_kib * 1024, full.err
