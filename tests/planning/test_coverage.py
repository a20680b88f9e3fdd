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
