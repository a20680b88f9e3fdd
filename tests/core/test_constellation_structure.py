"""Shells, planes and status found from the elements alone."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from opsconsole.core.constellation_structure import STATUSES, constellation_structure
from opsconsole.core.walker import STARLINK_SHELLS
from tests.conftest import SAMPLE_TIME, SYNTHETIC_EPOCH


def test_synthetic_shells_and_planes_match_the_generator(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    s = constellation_structure(synthetic_elements, SYNTHETIC_EPOCH)
    assert (s.shell >= 0).all() and (s.status == STATUSES.index("on-station")).all()
    sizes = sorted(int((s.shell == i).sum()) for i in range(len(s.shell_labels)))
    # the two 97.6 deg shells share altitude and inclination, so they form one group
    expected = sorted([1584, 1584, 720, 58 * 6 + 43 * 4])
    assert sizes == expected
    by_label = {label: i for i, label in enumerate(s.shell_labels)}
    assert s.plane_count(by_label["53.0° / 550 km"]) == STARLINK_SHELLS[0].planes
    assert s.plane_count(by_label["70.0° / 572 km"]) == STARLINK_SHELLS[2].planes
    shell = by_label["53.0° / 550 km"]
    raans = sorted(s.plane_raan_deg(shell, p) for p in range(s.plane_count(shell)))
    assert np.allclose(np.diff(raans), 360.0 / 72, atol=0.05)
    # every plane of that shell holds its 22 satellites
    counts = np.bincount(s.plane[s.shell == shell])
    assert (counts == 22).all()


def test_old_elements_are_stale(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    s = constellation_structure(synthetic_elements, SYNTHETIC_EPOCH + timedelta(days=20))
    assert (s.status == STATUSES.index("stale")).all()


def test_real_snapshot_has_shells_and_off_station_satellites(sample_elements) -> None:  # type: ignore[no-untyped-def]
    s = constellation_structure(sample_elements, SAMPLE_TIME)
    in_shells = (s.shell >= 0).mean()
    assert 0.9 < in_shells < 1.0  # most are on station; some are raising or deorbiting
    assert any(label.startswith("53.") for label in s.shell_labels)
    assert any(label.startswith("43.") for label in s.shell_labels)
    assert (s.plane[s.shell >= 0] >= 0).all() and (s.plane[s.shell < 0] == -1).all()


def test_plane_numbers_hold_as_the_nodes_precess(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    # a Walker shell's gaps between planes are all equal, so where the circle is cut
    # depends on rounding; the numbers must not (the Explorer, the plane colours and a
    # training session's late update rely on them)
    first = constellation_structure(synthetic_elements, SYNTHETIC_EPOCH)
    for later in (timedelta(seconds=45), timedelta(hours=6), timedelta(days=3)):
        s = constellation_structure(synthetic_elements, SYNTHETIC_EPOCH + later)
        assert np.array_equal(s.plane, first.plane), later
    ids = synthetic_elements.norad_ids
    for shell in range(len(first.shell_labels)):
        members = np.flatnonzero(first.shell == shell)
        assert first.plane[members[np.argmin(ids[members])]] == 0
        # ascending node longitude from plane 0, once round the circle
        raans = [first.plane_raan_deg(shell, p) for p in range(first.plane_count(shell))]
        steps = np.diff(np.array(raans) - raans[0]) % 360.0
        assert (steps > 0).all() and steps.sum() < 360.0
