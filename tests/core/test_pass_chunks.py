"""Long pass windows computed in chunks: the same passes as one window, and as
skyfield's find_events across the chunk boundaries (tolerance 1 s)."""

from __future__ import annotations

import numpy as np
import pytest

from opsconsole.core.element_sets import build_element_set
from opsconsole.core.pass_chunks import find_passes_in_chunks
from opsconsole.core.passes import Passes, find_passes
from opsconsole.core.walker import synthetic_constellation

from ..conftest import SAMPLE_TIME
from .test_passes_oracle import SITES, assert_rises_and_sets_match_skyfield

HOURS = 3.0


def _rows(found: Passes) -> np.ndarray:
    return np.column_stack(
        [found.site, found.satellite, np.nan_to_num(found.rise_s, nan=-1.0),
         np.nan_to_num(found.set_s, nan=-1.0), found.max_elevation_deg]
    )  # fmt: skip


@pytest.mark.parametrize("chunk_s", [1800.0, 120.0, 7 * 60.0 + 13.0])
def test_chunks_give_the_passes_of_one_window(chunk_s: float) -> None:
    """Chunks of 30 min, of 2 min (every pass crosses several boundaries) and of a length
    that is not a whole number of steps (rounded down to 7 min)."""
    elements = synthetic_constellation(SAMPLE_TIME)
    subset = build_element_set(elements.records[::20], "subset")
    whole = find_passes(subset, SITES, SAMPLE_TIME, HOURS * 3600.0)
    chunked = find_passes_in_chunks(subset, SITES, SAMPLE_TIME, HOURS * 3600.0, chunk_s=chunk_s)
    assert len(whole) > 50
    a, b = _rows(whole), _rows(chunked)
    assert a.shape == b.shape
    assert np.array_equal(a[:, :2], b[:, :2])
    assert np.abs(a[:, 2:4] - b[:, 2:4]).max() < 0.05  # s: both are Hermite-refined roots
    assert np.abs(a[:, 4] - b[:, 4]).max() < 0.01  # deg
    peak_gap = np.abs(whole.culmination_s - chunked.culmination_s)
    assert np.nanmax(peak_gap) < 1.0
    assert np.isnan(chunked.rise_s).sum() == np.isnan(whole.rise_s).sum()
    assert np.isnan(chunked.set_s).sum() == np.isnan(whole.set_s).sum()


def test_chunked_passes_match_skyfield_across_boundaries(sample_elements) -> None:  # type: ignore[no-untyped-def]
    subset = build_element_set(sample_elements.records[::70], "subset")
    chunk_s = 1200.0
    found = find_passes_in_chunks(subset, SITES, SAMPLE_TIME, HOURS * 3600.0, chunk_s=chunk_s)
    assert assert_rises_and_sets_match_skyfield(found, subset, HOURS) > 50
    across = np.floor(found.rise_s / chunk_s) != np.floor(found.set_s / chunk_s)
    closed = np.isfinite(found.rise_s) & np.isfinite(found.set_s)
    assert int(np.sum(across & closed)) > 10  # the boundaries were really crossed
