"""Coverage sampling agrees with the visibility search at every sample."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsconsole.core.element_sets import build_element_set
from opsconsole.core.horizon import HorizonProfile, Horizons
from opsconsole.core.look_angles import Sites
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.core.visibility import visible_satellites
from opsconsole.jobs.cancel import Cancelled
from opsconsole.planning.coverage import coverage, in_view, next_pass
from tests.conftest import SYNTHETIC_EPOCH


def test_counts_match_visible_satellites(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    site = Sites.from_geodetic([47.6], [-122.3], 0.1)
    progress: list[float] = []
    result = coverage(synthetic_elements, site, SYNTHETIC_EPOCH, 3600.0, step_s=300.0,
                      progress=progress.append)  # fmt: skip
    assert len(result.count) == 13 and progress[-1] == 1.0
    eph = propagate(synthetic_elements, times_from(SYNTHETIC_EPOCH, [0.0, 1800.0, 3600.0]))
    for k, column in ((0, 0), (6, 1), (12, 2)):
        pairs = visible_satellites(site, eph.position_km[:, column], 25.0)
        assert result.count[k] == len(pairs)
    assert 0.0 <= result.fraction <= 1.0
    now = in_view(site, eph.position_km[:, 0], 25.0)
    assert len(now.satellite) == result.count[0]
    assert (now.elevation_deg[:-1] >= now.elevation_deg[1:]).all()


def test_cancel_between_chunks(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    site = Sites.from_geodetic([0.0], [0.0])
    with pytest.raises(Cancelled):
        coverage(synthetic_elements, site, SYNTHETIC_EPOCH + timedelta(hours=1),
                 cancelled=lambda: True)  # fmt: skip


def test_next_pass_agrees_with_find_passes(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.core.element_sets import build_element_set
    from opsconsole.core.passes import find_passes
    from opsconsole.planning.coverage import next_pass

    site = Sites.from_geodetic([47.6], [-122.3])
    for index in (5, 1000, 3000):
        single = build_element_set([synthetic_elements.records[index]], "one")
        reference = find_passes(single, site, SYNTHETIC_EPOCH, 86_400.0)
        found = next_pass(single, site, SYNTHETIC_EPOCH)
        if len(reference) == 0:
            assert found is None
            continue
        assert found is not None
        first = 0
        if reference.rise_s[0] != reference.rise_s[0]:  # NaN: in view at the start
            assert found.rise is None
        else:
            rise = reference.utc(float(reference.rise_s[first]))
            assert rise is not None and found.rise is not None
            assert abs((found.rise - rise).total_seconds()) < 1.0
        end = reference.utc(float(reference.set_s[first]))
        assert end is not None and found.set is not None
        assert abs((found.set - end).total_seconds()) < 1.0
        assert abs(found.max_elevation_deg - reference.max_elevation_deg[first]) < 0.5


def test_coverage_and_next_pass_honour_the_horizon_profile(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    """A profile blocking the north: coverage counts, at samples the model did not pick
    (offset by 37 s), agree with the one rule ``Horizons.above`` applied to skyfield-free
    look angles, and the next pass rises no earlier than with the bare mask."""
    site = Sites.from_geodetic([47.6], [-122.3], 0.1)
    blocked = Horizons.of([25.0], [HorizonProfile.parse("0:70;90:25;270:25;359:70")])
    start = SYNTHETIC_EPOCH + timedelta(seconds=37)
    result = coverage(synthetic_elements, site, start, 1800.0, step_s=600.0,
                      min_elevation_deg=blocked)  # fmt: skip
    bare = coverage(synthetic_elements, site, start, 1800.0, step_s=600.0)
    eph = propagate(synthetic_elements, times_from(start, [0.0, 600.0, 1200.0, 1800.0]))
    for column in range(4):
        pairs = visible_satellites(site, eph.position_km[:, column], 25.0)
        keep = blocked.above(pairs.site, pairs.azimuth_deg, pairs.elevation_deg)
        assert result.count[column] == int(keep.sum()) <= bare.count[column]
    assert (result.count < bare.count).any(), "the profile should hide some northern satellites"
    for index in range(0, 4000, 100):
        single = build_element_set([synthetic_elements.records[index]], "one")
        free = next_pass(single, site, start, 6 * 3600.0)
        hidden = next_pass(single, site, start, 6 * 3600.0, min_elevation_deg=blocked)
        if hidden is not None and hidden.rise is not None:
            assert free is not None and free.rise is not None
            assert hidden.rise >= free.rise - timedelta(seconds=1)
