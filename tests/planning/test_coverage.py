"""Coverage sampling agrees with the visibility search at every sample."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsconsole.core.look_angles import Sites
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.core.visibility import visible_satellites
from opsconsole.planning.coverage import Cancelled, coverage, in_view
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
