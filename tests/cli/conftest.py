from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from opsconsole.cli import main
from opsconsole.store.seed import open_store


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture()
def run(capsys: pytest.CaptureFixture[str], db_path: Path) -> Callable[..., Result]:
    """Run ``opsconsole`` in-process against the test database, created and seeded
    before the first command (an explicit ``--db`` that does not exist is refused by
    commands that only read)."""

    def invoke(*args: str, db: bool = True, seed: bool = True) -> Result:
        if db and seed and not db_path.exists():
            open_store(str(db_path)).close()
        argv = [*args, "--db", str(db_path)] if db else list(args)
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
