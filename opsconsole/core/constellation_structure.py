"""Shells, orbital planes and station status of an element set, found from the elements.

Nothing here relies on names or on a published shell table, so the same code groups the
synthetic Walker constellation and a real snapshot:

- **Shell**: satellites are bucketed by inclination (1 deg) and, inside a bucket, their
  mean altitudes (from the Kozai mean motion) are clustered; a cluster of at least
  :data:`MIN_SHELL_SIZE` satellites is a shell, labelled ``53.0° / 550 km``.
- **Plane**: inside a shell, right ascensions of the ascending node are carried to one
  reference instant with the J2 nodal drift (so that elements of different epochs agree)
  and split wherever adjacent values are more than :data:`PLANE_GAP_DEG` apart. Planes
  are numbered in ascending node longitude, starting from the plane that holds the
  shell's lowest catalog number: the numbers do not change as the nodes precess or when
  fresh elements of the same satellites arrive (the Explorer's tree, plane colours and
  the neighbour planes of the inter-satellite-link mesh stay put).
- **Status**: ``on-station`` for shell members; ``off-station`` for satellites in no
  shell (orbit raising, deorbiting, test orbits); ``stale`` when the satellite's own
  elements are older than the stale age at the reference instant.

All arrays have shape ``(n,)`` in the element set's order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import AGE_STALE_DAYS, ElementSet

MU_KM3_S2 = 398600.8  # WGS72, as SGP4 uses
RE_KM = 6378.135  # WGS72 equatorial radius
J2 = 0.001082616
MIN_SHELL_SIZE = 20
"""Fewest satellites at one inclination and altitude that count as a shell."""
ALTITUDE_GAP_KM = 6.0
"""Altitude clusters inside an inclination bucket are split at gaps wider than this."""
PLANE_GAP_DEG = 1.5
"""Planes inside a shell are split where node longitudes differ by more than this."""
STATUSES = ("on-station", "off-station", "stale")


@dataclass(frozen=True)
class ConstellationStructure:
    """Per-satellite shell, plane and status, and the shells' labels.

    ``shell`` indexes :attr:`shell_labels` (-1: in no shell); ``plane`` numbers planes
    from 0 inside each shell (-1: in no shell); ``raan_deg`` is the node longitude at the
    reference instant (degrees, 0..360); ``altitude_km`` the mean altitude above the
    WGS72 equatorial radius; ``status`` indexes :data:`STATUSES`.
    """

    shell: NDArray[np.intp]
    plane: NDArray[np.intp]
    status: NDArray[np.intp]
    inclination_deg: NDArray[np.float64]
    altitude_km: NDArray[np.float64]
    raan_deg: NDArray[np.float64]
    shell_labels: tuple[str, ...]

    def plane_count(self, shell: int) -> int:
        """Number of planes found in ``shell``."""
        members = self.plane[self.shell == shell]
        return int(members.max()) + 1 if members.size else 0

    def plane_raan_deg(self, shell: int, plane: int) -> float:
        """Circular mean node longitude of one plane (degrees, 0..360)."""
        angles = np.radians(self.raan_deg[(self.shell == shell) & (self.plane == plane)])
        return float(np.degrees(np.arctan2(np.sin(angles).mean(), np.cos(angles).mean())) % 360)


def _element_arrays(elements: ElementSet) -> tuple[NDArray[np.float64], ...]:
    satrecs = elements.satrecs
    incl = np.array([s.inclo for s in satrecs], dtype=float)  # rad
    no = np.array([s.no_kozai for s in satrecs], dtype=float)  # rad/min
    ecc = np.array([s.ecco for s in satrecs], dtype=float)
    raan = np.array([s.nodeo for s in satrecs], dtype=float)  # rad
    return incl, no, ecc, raan


def _raan_at(
    incl: NDArray[np.float64],
    no: NDArray[np.float64],
    ecc: NDArray[np.float64],
    raan: NDArray[np.float64],
    dt_days: NDArray[np.float64],
    a_km: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Node longitude (rad) after ``dt_days`` of secular J2 drift."""
    n_rad_s = no / 60.0
    rate = -1.5 * n_rad_s * J2 * (RE_KM / a_km) ** 2 * np.cos(incl) / (1.0 - ecc**2) ** 2
    return np.asarray((raan + rate * dt_days * 86400.0) % (2.0 * math.pi))


def _clusters(values: NDArray[np.float64], gap: float) -> NDArray[np.intp]:
    """Label sorted-gap clusters of 1-D ``values`` (labels in ascending value order)."""
    order = np.argsort(values, kind="stable")
    breaks = np.diff(values[order]) > gap
    labels = np.empty(values.size, dtype=np.intp)
    labels[order] = np.concatenate(([0], np.cumsum(breaks)))
    return labels


def _circular_clusters(
    angles_deg: NDArray[np.float64], gap: float, anchor: int = 0
) -> NDArray[np.intp]:
    """Cluster angles on a circle, numbered in ascending angle from the cluster that
    holds ``angles_deg[anchor]`` (0). The widest gap only decides where to cut the circle
    for clustering, so nearly equal gaps (a Walker shell) cannot change the numbers."""
    if angles_deg.size == 0:
        return np.empty(0, dtype=np.intp)
    ordered = np.sort(angles_deg)
    gaps = np.diff(np.concatenate((ordered, ordered[:1] + 360.0)))
    start = ordered[(int(np.argmax(gaps)) + 1) % ordered.size]
    labels = _clusters((angles_deg - start) % 360.0, gap)
    return np.asarray((labels - labels[anchor]) % (int(labels.max()) + 1), dtype=np.intp)


def constellation_structure(elements: ElementSet, reference: datetime) -> ConstellationStructure:
    """Group ``elements`` into shells and planes and give each satellite a status."""
    n = len(elements)
    incl, no, ecc, raan = _element_arrays(elements) if n else (np.empty(0),) * 4
    a_km = (MU_KM3_S2 / (no / 60.0) ** 2) ** (1.0 / 3.0) if n else np.empty(0)
    altitude = a_km - RE_KM
    age = elements.age_days(reference) if n else np.empty(0)
    node = np.degrees(_raan_at(incl, no, ecc, raan, age, a_km)) if n else np.empty(0)
    incl_deg = np.degrees(incl)
    shell = np.full(n, -1, dtype=np.intp)
    plane = np.full(n, -1, dtype=np.intp)
    labels: list[str] = []
    bucket = np.round(incl_deg).astype(np.intp)
    for b in np.unique(bucket):
        members = np.flatnonzero(bucket == b)
        clusters = _clusters(altitude[members], ALTITUDE_GAP_KM)
        for c in np.unique(clusters):
            inside = members[clusters == c]
            if inside.size < MIN_SHELL_SIZE:
                continue
            index = len(labels)
            labels.append(
                f"{np.median(incl_deg[inside]):.1f}° / {np.median(altitude[inside]):.0f} km"
            )
            shell[inside] = index
            oldest = int(np.argmin(elements.norad_ids[inside]))
            plane[inside] = _circular_clusters(node[inside], PLANE_GAP_DEG, oldest)
    status = np.where(shell >= 0, 0, 1).astype(np.intp)
    status[age > AGE_STALE_DAYS] = 2
    return ConstellationStructure(shell, plane, status, incl_deg, altitude, node, tuple(labels))
