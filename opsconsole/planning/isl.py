"""Inter-satellite links: a +grid mesh and shortest paths to a satellite that sees a
gateway.

Topology (fixed for a plan, built at its start): every satellite of a shell links to the
satellites before and after it in its own orbital plane (ordered by argument of
latitude) and to the satellite of each adjacent plane (planes ordered by node longitude,
the last adjacent to the first) nearest to it in argument of latitude: the "+grid" of
four links most LEO laser-link designs use. Satellites outside every shell (raising,
deorbiting) have no links. Each slot a link is usable only if its line of sight
clears the Earth (a sphere of the WGS84 equatorial radius) by the grazing altitude at
both ends of the slot; it counts at the longer of its two end lengths. Routes are the
shortest by that length (``scipy.sparse.csgraph.dijkstra``, all exits at once). Link
capacity is not modelled: user-link, gateway and region capacities still apply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.constellation_structure import ConstellationStructure

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
EARTH_EQUATORIAL_RADIUS_KM = 6378.137


def segment_clearance_km(a_km: FloatArray, b_km: FloatArray) -> FloatArray:
    """Height (km) above a sphere of the equatorial radius of the lowest point of each
    straight segment ``a[i] -> b[i]`` (``(m, 3)`` km, Earth-centred)."""
    d = b_km - a_km
    dd = np.einsum("ij,ij->i", d, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip(-np.einsum("ij,ij->i", a_km, d) / dd, 0.0, 1.0)
    t = np.where(dd > 0, t, 0.0)
    closest = a_km + t[:, None] * d
    return np.asarray(np.linalg.norm(closest, axis=1) - EARTH_EQUATORIAL_RADIUS_KM)


def argument_of_latitude_deg(position_km: FloatArray, velocity_km_s: FloatArray) -> FloatArray:
    """Angle from the ascending node to each satellite in its orbit plane (deg, 0..360)."""
    h = np.cross(position_km, velocity_km_s)
    node = np.cross(np.array([0.0, 0.0, 1.0]), h)
    node /= np.linalg.norm(node, axis=1, keepdims=True)
    perp = np.cross(h / np.linalg.norm(h, axis=1, keepdims=True), node)
    u = np.degrees(
        np.arctan2(
            np.einsum("ij,ij->i", position_km, perp), np.einsum("ij,ij->i", position_km, node)
        )
    )
    return np.asarray(u % 360.0)


@dataclass(frozen=True)
class IslMesh:
    """Links ``(a[i], b[i])`` between satellite indices (each link once)."""

    a: IntArray
    b: IntArray
    n: int

    @classmethod
    def build(
        cls, structure: ConstellationStructure, position_km: FloatArray, velocity_km_s: FloatArray
    ) -> IslMesh:
        """The +grid of every shell from positions and velocities at one instant."""
        n = len(structure.shell)
        u = argument_of_latitude_deg(position_km, velocity_km_s)
        ok = np.isfinite(u)
        pairs: list[tuple[IntArray, IntArray]] = []
        for shell in range(len(structure.shell_labels)):
            planes = []
            for plane in range(structure.plane_count(shell)):
                members = np.flatnonzero(
                    (structure.shell == shell) & (structure.plane == plane) & ok
                )
                planes.append(members[np.argsort(u[members], kind="stable")])
            for members in planes:  # in-plane ring
                if members.size >= 2:
                    pairs.append((members, np.roll(members, -1)))
            for p, members in enumerate(planes):  # to the next plane
                other = planes[(p + 1) % len(planes)] if len(planes) > 1 else members[:0]
                if members.size == 0 or other.size == 0 or other is members:
                    continue
                ou = u[other]
                pos = np.searchsorted(ou, u[members]) % other.size
                before = (pos - 1) % other.size
                gap_after = (ou[pos] - u[members]) % 360.0
                gap_before = (u[members] - ou[before]) % 360.0
                nearest = np.where(gap_after <= gap_before, other[pos], other[before])
                pairs.append((members, nearest))
        if not pairs:
            empty = np.empty(0, dtype=np.intp)
            return cls(empty, empty, n)
        a = np.concatenate([p[0] for p in pairs]).astype(np.intp)
        b = np.concatenate([p[1] for p in pairs]).astype(np.intp)
        keep = a != b
        lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
        unique = np.unique(lo * n + hi)
        return cls(unique // n, unique % n, n)

    def __len__(self) -> int:
        return int(self.a.shape[0])

    def routes(
        self,
        start_km: FloatArray,
        end_km: FloatArray,
        exits: IntArray,
        satellite_ok: NDArray[np.bool_],
        grazing_altitude_km: float,
    ) -> tuple[FloatArray, IntArray]:
        """Shortest link-path length (km) from every satellite to its nearest exit
        satellite over a slot whose ends have positions ``start_km`` and ``end_km``
        (``(n, 3)``), and that exit (inf and -1 where none can be reached). A link is
        used only if it clears the Earth by ``grazing_altitude_km`` at both ends; it
        counts at the longer of its two lengths."""
        dist = np.full(self.n, np.inf)
        exit_of = np.full(self.n, -1, dtype=np.intp)
        if exits.size == 0:
            return dist, exit_of
        usable = satellite_ok[self.a] & satellite_ok[self.b]
        a, b = self.a[usable], self.b[usable]
        length = np.zeros(a.size)
        clear = np.ones(a.size, dtype=bool)
        for km in (start_km, end_km):
            length = np.maximum(length, np.linalg.norm(km[a] - km[b], axis=1))
            clear &= segment_clearance_km(km[a], km[b]) >= grazing_altitude_km
        good = np.isfinite(length) & clear
        from scipy.sparse import coo_matrix  # loaded on first ISL run, not at start-up
        from scipy.sparse.csgraph import dijkstra

        # zero-length links would vanish from a sparse matrix: give them a floor of 1 mm
        graph = coo_matrix(
            (np.maximum(length[good], 1e-6), (a[good], b[good])), shape=(self.n, self.n)
        ).tocsr()
        d, _, sources = dijkstra(
            graph, directed=False, indices=exits, min_only=True, return_predecessors=True
        )
        reach = np.isfinite(d)
        dist[reach] = d[reach]
        exit_of[reach] = sources[reach]
        return dist, exit_of
