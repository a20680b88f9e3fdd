"""Files written whole or not at all: a temporary file beside the target, renamed over
it only once everything is written (``os.replace`` is atomic on one file system), and
removed if writing fails. No half-written export, report or PDF is ever left behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def _umask() -> int:
    """The process's umask (read without changing it where Linux allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextmanager
def temporary_beside(path: str | Path) -> Iterator[Path]:
    """A fresh temporary path in ``path``'s directory; on leaving without an error it is
    renamed to ``path`` (replacing it), otherwise deleted."""
    target = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    # mkstemp makes the file private (0600): give it the mode an ordinary new file (or
    # the file it replaces) would have
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        temporary.chmod(mode)
    except OSError:
        pass
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_text(path: str | Path, newline: str | None = None) -> Iterator[TextIO]:
    """Write text (UTF-8) to ``path`` through a temporary file (see the module)."""
    # contexts exit in reverse order: the file is closed before it is renamed
    with (
        temporary_beside(path) as temporary,
        temporary.open("w", encoding="utf-8", newline=newline) as out,
    ):
        yield out
        out.flush()
        os.fsync(out.fileno())


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file (see the module)."""
    with temporary_beside(path) as temporary, temporary.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
