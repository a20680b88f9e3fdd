"""The globe scene drawn with OpenGL under Xvfb (Mesa llvmpipe): pixels and positions.

Probes are read at the centre of the view with the camera looking at known places;
the Blue Marble texture has ocean there (blue dominant) or desert (red dominant).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np
import pytest

from opsconsole.core.frames import WGS84_A_KM
from opsconsole.core.propagation import propagate
from opsconsole.core.sun import sun_itrs_km
from opsconsole.core.timescale import time_at

pytestmark = pytest.mark.gl
NOON_UTC = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
MIDNIGHT_UTC = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


@pytest.fixture()
def globe(qapp, synthetic_elements) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from vispy import app

    app.use_app("pyside6")
    from opsconsole.ui.globe.satellites import shell_colors
    from opsconsole.ui.globe.scene import GlobeScene

    inclinations = np.array([r.inclination_deg for r in synthetic_elements.records])
    scene = GlobeScene(shell_colors(inclinations), size=(400, 300))
    yield scene
    scene.canvas.close()


def _draw(globe, elements, when: datetime, lat: float, lon: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    t = time_at(when)
    positions = propagate(elements, t, velocities=False).position_km[:, 0]
    globe.update(np.full_like(positions, np.nan), sun_itrs_km(t)[0])  # Earth only
    globe.look_at(lat, lon)
    image = globe.render()
    return image[140:160, 190:210, :3].reshape(-1, 3).mean(axis=0)


def test_ocean_and_land_colours_where_the_texture_has_them(globe, synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    ocean = _draw(globe, synthetic_elements, NOON_UTC, 0.0, -30.0)  # mid-Atlantic, daytime
    desert = _draw(globe, synthetic_elements, NOON_UTC, 23.0, 12.0)  # Sahara, daytime
    assert ocean[2] > ocean[0] + 15 and ocean[2] > ocean[1]
    assert desert[0] > desert[2] + 40 and desert.sum() > 300


def test_night_side_is_darker_than_day_side(globe, synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    day = _draw(globe, synthetic_elements, NOON_UTC, 23.0, 12.0)  # Sahara at local noon
    night = _draw(globe, synthetic_elements, MIDNIGHT_UTC, 23.0, 12.0)  # ... at local midnight
    assert night.sum() < 0.45 * day.sum()
    assert night.sum() > 0.1 * day.sum()  # shaded, not black: the land is still visible


def test_drawn_positions_are_the_core_propagation(globe, synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    t = time_at(NOON_UTC)
    positions = propagate(synthetic_elements, t, velocities=False).position_km[:, 0]
    globe.update(positions, sun_itrs_km(t)[0])
    drawn = globe.satellites.scene_positions
    assert globe.satellites.drawn == len(synthetic_elements)
    # scene coordinates are float32 Earth radii: ~1 m resolution at LEO
    assert np.abs(drawn * WGS84_A_KM - positions).max() < 0.01  # km
    image = globe.render()
    assert image.shape == (300, 400, 3)
    assert image.reshape(-1, 3).max(axis=0).min() > 150  # markers and lit Earth are drawn
