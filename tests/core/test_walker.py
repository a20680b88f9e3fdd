"""The synthetic Walker constellation: deterministic, valid, labelled, at its altitudes."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from opsconsole.core.element_readers import parse_tle_text
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at
from opsconsole.core.walker import STARLINK_SHELLS, shell_and_plane, synthetic_constellation

from ..conftest import SYNTHETIC_EPOCH


def _text(elements) -> str:  # type: ignore[no-untyped-def]
    return "".join(f"{r.name}\n{r.line1}\n{r.line2}\n" for r in elements.records)


def test_published_shells_and_counts(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    assert [(s.altitude_km, s.inclination_deg, s.planes, s.per_plane) for s in STARLINK_SHELLS] == [
        (550.0, 53.0, 72, 22),
        (540.0, 53.2, 72, 22),
        (570.0, 70.0, 36, 20),
        (560.0, 97.6, 6, 58),
        (560.0, 97.6, 4, 43),
    ]
    assert len(synthetic_elements) == sum(s.total for s in STARLINK_SHELLS) == 4408
    assert synthetic_elements.synthetic
    assert "synthetic" in synthetic_elements.source
    assert all("(synthetic)" in name for name in synthetic_elements.names)


def test_deterministic_and_valid_tles(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    again = synthetic_constellation(SYNTHETIC_EPOCH)
    assert _text(again) == _text(synthetic_elements)
    reread = parse_tle_text(_text(synthetic_elements), "synthetic.tle")  # checksums verified
    assert reread.norad_ids.tolist() == synthetic_elements.norad_ids.tolist()
    assert synthetic_elements.records[0].epoch == SYNTHETIC_EPOCH
    other = synthetic_constellation(datetime(2027, 1, 1, tzinfo=UTC))
    assert _text(other) != _text(synthetic_elements)


def test_shell_geometry(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    eph = propagate(synthetic_elements, time_at(SYNTHETIC_EPOCH), velocities=False)
    radius = np.linalg.norm(eph.position_km[:, 0], axis=1)
    start = 0
    for shell in STARLINK_SHELLS:
        block = radius[start : start + shell.total]
        # mean geocentric radius within 10 km of the nominal altitude above 6378 km
        assert abs(block.mean() - (6378.135 + shell.altitude_km)) < 10.0
        incl = [
            synthetic_elements.records[i].inclination_deg for i in (start, start + shell.total - 1)
        ]
        assert incl == [shell.inclination_deg] * 2
        start += shell.total
    assert shell_and_plane(synthetic_elements.names[23]) == (1, 2)
    assert shell_and_plane("STARLINK-1008") is None
