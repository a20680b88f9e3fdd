"""Sharing one large propagation between processes (SGP4 holds the GIL: threads cannot).

The satellites are split in contiguous blocks. The calling process propagates the first
block itself while worker processes (a persistent ``spawn`` pool, safe next to Qt's
threads) propagate the others into shared memory, which is then copied into the result.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import Future
from multiprocessing.shared_memory import SharedMemory
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from sgp4.api import SatrecArray

from opsconsole.core.element_sets import ElementRecord, ElementSet
from opsconsole.jobs.process_pool import shared_executor

if TYPE_CHECKING:
    from opsconsole.core.propagation import _Epochs, _Outputs

PARALLEL_THRESHOLD = 4_000_000
"""Satellite-times above which a propagation is shared between processes by default."""

Layout = list[tuple[str, tuple[int, ...], str]]
"""Named arrays (name, shape, dtype) laid out one after another in a shared buffer."""


def choose_workers(n: int, m: int, requested: int | None) -> int:
    """How many processes (the caller included) to use for ``n`` satellites x ``m`` times."""
    if requested is not None:
        return max(1, min(requested, n))
    if n * m < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4, n))


def _layout(n: int, m: int, velocities: bool, geodetic: bool) -> Layout:
    fields: Layout = [("position", (n, m, 3), "f8")]
    if velocities:
        fields.append(("velocity", (n, m, 3), "f8"))
    fields.append(("error", (n, m), "u1"))
    if geodetic:
        fields += [("lat", (n, m), "f8"), ("lon", (n, m), "f8"), ("alt", (n, m), "f8")]
    return fields


def _views(buffer: memoryview | None, layout: Layout) -> dict[str, NDArray[Any]]:
    if buffer is None:
        raise RuntimeError("shared memory has no buffer")
    views: dict[str, NDArray[Any]] = {}
    offset = 0
    for name, shape, dtype in layout:
        array = np.ndarray(shape, dtype=dtype, buffer=buffer, offset=offset)
        views[name] = array
        offset += array.nbytes
    return views


def _size(layout: Layout) -> int:
    return sum(int(np.prod(shape)) * np.dtype(dtype).itemsize for _, shape, dtype in layout)


def _worker(
    records: list[ElementRecord],
    epochs: _Epochs,
    velocities: bool,
    geodetic: bool,
    shm_name: str,
) -> None:
    from opsconsole.core.propagation import _Outputs, _propagate_into

    layout = _layout(len(records), len(epochs), velocities, geodetic)
    shm = SharedMemory(name=shm_name)
    try:
        v = _views(shm.buf, layout)
        out = _Outputs.from_arrays(v)
        _propagate_into(SatrecArray([r.satrec() for r in records]), epochs, out)
        del out, v
    finally:
        shm.close()


def propagate_shared(
    elements: ElementSet,
    epochs: _Epochs,
    out: _Outputs,
    processes: int,
) -> None:
    """Fill ``out`` using ``processes`` processes (this one included)."""
    from opsconsole.core.propagation import _Outputs, _propagate_into

    n, m = out.error.shape
    bounds = np.linspace(0, n, processes + 1).astype(int)
    velocities, geodetic = out.velocity is not None, out.lat is not None
    pool = shared_executor(processes - 1)
    jobs: list[tuple[int, int, SharedMemory, Future[None]]] = []
    try:
        for lo, hi in itertools.pairwise(bounds[1:]):  # block 0 stays in this process
            layout = _layout(int(hi - lo), m, velocities, geodetic)
            shm = SharedMemory(create=True, size=max(1, _size(layout)))
            future = pool.submit(
                _worker,
                list(elements.records[lo:hi]),
                epochs,
                velocities,
                geodetic,
                shm.name,
            )
            jobs.append((int(lo), int(hi), shm, future))
        first = slice(0, int(bounds[1]))

        mine = _Outputs.from_arrays(
            {k: None if a is None else a[first] for k, a in out.arrays().items()}
        )
        _propagate_into(SatrecArray(list(elements.satrecs[first])), epochs, mine)
        for lo, hi, shm, future in jobs:
            future.result()
            views = _views(shm.buf, _layout(hi - lo, m, velocities, geodetic))
            for name, target in out.arrays().items():
                if target is not None:
                    target[lo:hi] = views[name]
            del views
    finally:
        for _, _, shm, _ in jobs:
            shm.close()
            shm.unlink()
