"""The window file local workers write their rows into."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import numpy as np
import pytest

from opsconsole.planning import shared_window
from opsconsole.planning.slot_runner import BLOCK_ARRAYS


def test_arrays_do_not_overlap_and_rows_written_in_one_map_show_in_another() -> None:
    file = shared_window.create(7, 5)
    try:
        spans = []
        for name, offset, shape in file.layout():
            assert offset % shared_window.ALIGN == 0
            size = int(np.prod(shape)) * np.dtype(shared_window.DTYPES[name]).itemsize
            spans.append((offset, offset + size))
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
        assert Path(file.path).stat().st_size == file.nbytes == spans[-1][1]
        worker = file.open(2, 5)  # as a worker process maps its part
        worker.satellite[:] = 42
        worker.rtt_ms[0, 3] = 12.5
        worker.limited[1] = True
        caller = file.open()
    finally:
        shared_window.remove(file)
    assert not Path(file.path).exists()
    assert (caller.satellite[2:5] == 42).all() and (caller.satellite[:2] == 0).all()
    assert caller.rtt_ms[2, 3] == np.float32(12.5)
    assert caller.limited.tolist() == [False, False, False, True, False, False, False]
    assert [n for n, _, _ in file.layout()] == list(BLOCK_ARRAYS)


def test_a_parallel_plan_leaves_no_window_file(synthetic_elements, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from opsconsole.core.catalog import demo_sites, embedded_network
    from opsconsole.planning.inputs import build_inputs
    from opsconsole.planning.parameters import PlanParameters
    from opsconsole.planning.planner import plan
    from tests.conftest import SYNTHETIC_EPOCH

    if not shared_window.supported():
        pytest.skip("parts travel back pickled on this platform")
    folder = Path(tempfile.mkdtemp())
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    params = PlanParameters(start=SYNTHETIC_EPOCH + timedelta(hours=2), duration_s=7200.0,
                            step_s=60.0, handover_policy="rtt")  # fmt: skip
    result = plan(synthetic_elements, build_inputs(demo_sites(), embedded_network(), params),
                  params, workers=2)  # fmt: skip
    assert isinstance(result.satellite, np.memmap)  # the workers wrote the caller's arrays
    assert list(folder.iterdir()) == []
