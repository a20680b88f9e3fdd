from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from opsconsole.cli import main


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture()
def run(capsys: pytest.CaptureFixture[str], db_path: Path) -> Callable[..., Result]:
    """Run ``opsconsole`` in-process against the test database."""

    def invoke(*args: str, db: bool = True) -> Result:
        argv = [*args, "--db", str(db_path)] if db else list(args)
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
