"""The bad-input catalogue (issue 17): every case runs the real ``opsconsole`` command
in a child process and checks its exit code, that standard error names the place and
the reason without a traceback, and that the database's ``.dump`` did not change."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from opsconsole.store.seed import open_store


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def dump_hash(path: Path) -> str:
    """SHA-256 of the database's SQL dump (what ``sqlite3 FILE .dump`` prints)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ops.sqlite"
    open_store(str(path)).close()
    return path


@pytest.fixture()
def db(seeded_template: Path, tmp_path: Path) -> Path:
    """A seeded database of this test's own."""
    path = tmp_path / "ops.sqlite"
    shutil.copyfile(seeded_template, path)
    return path


def run_cli(*args: str, stdin: str | None = None, timeout: float = 120.0) -> Run:
    """``python -m opsconsole ARGS`` in a child process."""
    done = subprocess.run(
        [sys.executable, "-m", "opsconsole", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture()
def refused(db: Path) -> Callable[..., Run]:
    """Run a command against ``db`` and check that it is refused cleanly: exit code 1
    or 2, every ``expected`` fragment in standard error, no traceback, database dump
    unchanged."""

    def check(*args: str, expected: tuple[str, ...] = (), code: int | None = None) -> Run:
        before = dump_hash(db)
        result = run_cli(*args, "--db", str(db))
        assert result.code in ((code,) if code is not None else (1, 2)), result
        assert "Traceback" not in result.err, result.err
        for fragment in expected:
            assert fragment in result.err, (fragment, result.err)
        assert dump_hash(db) == before, "the database changed"
        return result

    return check
