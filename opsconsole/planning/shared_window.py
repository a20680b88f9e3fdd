"""A window's result arrays in one file that local worker processes write into.

On the local pool a part's result would otherwise travel back pickled: the worker holds
its block and its pickle, the caller the pickle and the unpickled copy before it is
copied into the window (10,000 sites x 4 h at 15 s: 200 MB, four times over). Here the
caller creates one file sized for the whole window (space reserved up front, so a full
disk is an error before any work, never a fault while writing), every worker maps it
and writes its own rows, and the caller's arrays are maps of the same pages. The file is
removed as soon as the run ends; the caller's maps stay valid until dropped (POSIX).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from opsconsole.planning.slot_runner import BLOCK_ARRAYS, SlotBlock

DTYPES: dict[str, Any] = {
    "satellite": np.int32, "gateway": np.int16, "region": np.int16, "rtt_ms": np.float32,
    "status": np.uint8, "rtt_start_ms": np.float32, "rtt_end_ms": np.float32,
    "limited": np.bool_,
}  # fmt: skip
ALIGN = 64


@dataclass(frozen=True)
class WindowFile:
    """Where a window's arrays live: the file, the window's shape ``(slots, sites)``."""

    path: str
    slots: int
    sites: int

    def layout(self) -> list[tuple[str, int, tuple[int, ...]]]:
        """``(name, byte offset, shape)`` of each array, in :data:`BLOCK_ARRAYS` order."""
        out: list[tuple[str, int, tuple[int, ...]]] = []
        offset = 0
        for name in BLOCK_ARRAYS:
            shape: tuple[int, ...] = (
                (self.slots,) if name == "limited" else (self.slots, self.sites)
            )
            out.append((name, offset, shape))
            size = int(np.prod(shape)) * np.dtype(DTYPES[name]).itemsize
            offset += -(-size // ALIGN) * ALIGN
        return out

    @property
    def nbytes(self) -> int:
        name, offset, shape = self.layout()[-1]
        return offset + int(np.prod(shape)) * int(np.dtype(DTYPES[name]).itemsize)

    def open(self, lo: int = 0, hi: int | None = None) -> SlotBlock:
        """Rows ``lo .. hi - 1`` of the window as maps of the file (read-write)."""
        hi = self.slots if hi is None else hi
        arrays = []
        for name, offset, shape in self.layout():
            whole = np.memmap(self.path, DTYPES[name], "r+", offset, shape)
            arrays.append(whole[lo:hi])
        return SlotBlock(*arrays)


def supported() -> bool:
    """Removing a file that is still mapped keeps the maps valid on Linux and macOS,
    not on Windows: there the parts travel back pickled instead."""
    return sys.platform != "win32"


def create(slots: int, sites: int) -> WindowFile:
    """A new zero-filled file for the window, its space reserved (``OSError`` when the
    temporary folder has too little room)."""
    handle, path = tempfile.mkstemp(prefix="opsconsole-window-", suffix=".bin")
    window = WindowFile(path, slots, sites)
    try:
        if window.nbytes:
            os.posix_fallocate(handle, 0, window.nbytes)
    except BaseException:
        os.close(handle)
        Path(path).unlink(missing_ok=True)
        raise
    os.close(handle)
    return window


def remove(window: WindowFile) -> None:
    """Delete the file (maps already made stay valid)."""
    Path(window.path).unlink(missing_ok=True)
