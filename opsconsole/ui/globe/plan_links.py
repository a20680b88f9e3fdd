"""The plan on the globe at the simulation time: for every site, the link to its serving
satellite, the satellite's link down to the landing gateway and the gateway's fibre to
the cloud region, coloured by whether the site's round trip meets its objective; sites
the plan leaves unserved get a red ring.

One ``Line`` visual (segments with a colour per vertex) and one ``Markers`` visual, so the
whole plan costs two draw calls whatever the number of sites.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.core.frames import WGS84_A_KM

FloatArray = NDArray[np.float64]
STATE_COLORS = np.array(
    [
        (0.35, 1.0, 0.45, 0.95),  # served within objective
        (1.0, 0.62, 0.10, 0.95),  # served, round trip above objective
        (1.0, 0.25, 0.25, 1.0),  # unserved
    ],
    dtype=np.float32,
)
"""RGBA per drawing state (``plan_playback`` MEETS_OBJECTIVE, MISSES_OBJECTIVE, UNSERVED)."""
BACKHAUL_DIM = 0.6
GROUND_LIFT = 1.003
ARC_POINTS = 16


def arcs(a_km: FloatArray, b_km: FloatArray, points: int = ARC_POINTS) -> FloatArray:
    """Paths ``(p, points, 3)`` (km) from ``a_km`` to ``b_km`` (each ``(p, 3)``) along
    the great circle between their directions. The radius stays at ``a``'s until near
    the end, then falls to ``b``'s: a satellite's route through the mesh down to a
    gateway, or (equal radii) a fibre route over the surface."""
    t = np.linspace(0.0, 1.0, points)
    ra = np.linalg.norm(a_km, axis=1, keepdims=True)
    rb = np.linalg.norm(b_km, axis=1, keepdims=True)
    ua, ub = a_km / ra, b_km / rb
    cos = np.clip(np.einsum("pi,pi->p", ua, ub), -1.0, 1.0)
    omega = np.arccos(cos)[:, None]
    small = omega[:, 0] < 1e-6
    sin = np.where(small[:, None], 1.0, np.sin(omega))
    wa = np.where(small[:, None], 1.0 - t[None, :], np.sin((1.0 - t[None, :]) * omega) / sin)
    wb = np.where(small[:, None], t[None, :], np.sin(t[None, :] * omega) / sin)
    direction = wa[:, :, None] * ua[:, None, :] + wb[:, :, None] * ub[:, None, :]
    direction /= np.linalg.norm(direction, axis=2, keepdims=True)
    radius = rb + (ra - rb) * (1.0 - t[None, :] ** 6)
    return np.asarray(direction * radius[:, :, None])


def _segments(paths: FloatArray) -> FloatArray:
    """Polylines ``(p, n, 3)`` as segment pairs ``(2 p (n - 1), 3)``."""
    pairs = np.stack((paths[:, :-1], paths[:, 1:]), axis=2)
    return pairs.reshape(-1, 3)


class PlanLinks:
    """The plan's links and unserved sites; hidden until a plan frame is given."""

    def __init__(self, parent: scene.Node) -> None:
        self.lines = scene.visuals.Line(connect="segments", method="gl", width=2.0, parent=parent)
        self.lines.set_gl_state("translucent", depth_test=True)
        self.lines.visible = False
        self.unserved = scene.visuals.Markers(parent=parent, scaling=False)
        self.unserved.set_gl_state("translucent", depth_test=True)
        self.unserved.visible = False
        self.enabled = True
        self.segment_count = 0
        self.unserved_count = 0

    def hide(self) -> None:
        """Draw no plan."""
        self.lines.visible = False
        self.unserved.visible = False
        self.segment_count = self.unserved_count = 0

    def set_frame(
        self,
        site_km: FloatArray,
        satellite_km: FloatArray,
        gateway_km: FloatArray,
        region_km: FloatArray,
        state: NDArray[np.uint8],
        *,
        through_mesh: bool = False,
        pop_km: FloatArray | None = None,
    ) -> None:
        """Draw one instant of a plan, per site ``(k,)``: site, serving satellite,
        gateway and region positions ``(k, 3)`` in km Earth-fixed (NaN where there is
        none) and drawing state. ``through_mesh`` draws the satellite-to-gateway leg as
        an arc at the satellite's height (inter-satellite links) instead of a chord.
        ``pop_km`` ``(k, 3)`` routes the fibre gateway -> PoP -> region (NaN rows: straight
        to the region)."""
        if not self.enabled:
            self.hide()
            return
        unserved = state == 2
        served = ~unserved & np.isfinite(satellite_km).all(axis=1)
        served &= np.isfinite(gateway_km).all(axis=1) & np.isfinite(region_km).all(axis=1)
        parts: list[FloatArray] = []
        colors: list[NDArray[np.float32]] = []
        if served.any():
            site, sat = site_km[served] * GROUND_LIFT, satellite_km[served]
            gw, region = gateway_km[served] * GROUND_LIFT, region_km[served] * GROUND_LIFT
            color = STATE_COLORS[state[served]]
            up = np.stack((site, sat), axis=1)
            down = arcs(sat, gw, 8) if through_mesh else np.stack((sat, gw), axis=1)
            parts += [_segments(up), _segments(down)]
            colors += [np.repeat(color, 2, axis=0), np.repeat(color, 2 * (down.shape[1] - 1), 0)]
            # one fibre route per distinct (gateway, region, state): many sites share one
            keys = np.concatenate((gw, region, state[served, None].astype(float)), axis=1)
            _, first = np.unique(np.round(keys, 3), axis=0, return_index=True)
            pop = np.full_like(gw, np.nan) if pop_km is None else pop_km[served] * GROUND_LIFT
            has_pop = np.isfinite(pop[first]).all(axis=1)
            via = np.where(has_pop[:, None], pop[first], gw[first])
            dim = color[first].copy()
            dim[:, 3] *= BACKHAUL_DIM
            for start, end, keep in ((gw[first], via, has_pop), (via, region[first], None)):
                chosen = slice(None) if keep is None else keep
                if start[chosen].size:
                    fibre = arcs(start[chosen], end[chosen])
                    parts.append(_segments(fibre))
                    colors.append(np.repeat(dim[chosen], 2 * (fibre.shape[1] - 1), axis=0))
        if parts:
            pos = np.concatenate(parts) / WGS84_A_KM
            self.lines.set_data(pos=pos.astype(np.float32), color=np.concatenate(colors))
            self.lines.visible = True
            self.segment_count = len(pos) // 2
        else:
            self.lines.visible = False
            self.segment_count = 0
        self.unserved_count = int(unserved.sum())
        if self.unserved_count:
            points = site_km[unserved] * GROUND_LIFT / WGS84_A_KM
            self.unserved.set_data(
                points.astype(np.float32),
                face_color=(0, 0, 0, 0),
                edge_color=tuple(STATE_COLORS[2]),
                edge_width=2.5,
                size=15.0,
                symbol="ring",
            )
            self.unserved.visible = True
        else:
            self.unserved.visible = False
