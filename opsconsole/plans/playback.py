"""A stored plan replayed against the simulation clock and the console's catalog (no Qt).

What the globe and the plots need from a plan: the slot that holds an instant, who serves
each site in it and whether its round trip meets the site's objective; one site's series
over the window (round trip, serving satellite, its elevation, handovers); a coverage
raster of every site; the load on one satellite, gateway or region.

Satellites are matched to the console's element set by catalog number. When the console
shows another element set than the one the plan was made with, positions (and so the
drawn links and elevations) come from the console's set: :attr:`PlanPlayback.same_elements`
tells the UI to say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4.api import SatrecArray

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.frames import ecef_from_geodetic
from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites, pair_look_angles
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import as_utc, times_from
from opsconsole.planning.assignment import SERVED, STATUS_NAMES
from opsconsole.planning.inputs import site_horizons
from opsconsole.planning.metrics import load_gbps
from opsconsole.planning.parameters import PlanParameters
from opsconsole.store.plan_repository import StoredPlan

FloatArray = NDArray[np.float64]

MEETS_OBJECTIVE, MISSES_OBJECTIVE, UNSERVED = 0, 1, 2
"""Drawing states of a site in a slot: served within its round-trip objective, served
above it (an SLO miss, never hidden), not served (any reason)."""
STATE_NAMES = ("served within objective", "served, round trip above objective", "unserved")
ELEVATION_CHUNK_SLOTS = 60


@dataclass(frozen=True)
class PlanFrame:
    """What the plan says in slot ``slot``, per site ``(k,)``: the console's satellite
    index (-1 unserved or not in the console's set), gateway, PoP and region positions
    (``(k, 3)`` km Earth-fixed, NaN when unserved), drawing state and round trip (ms)."""

    slot: int
    satellite: NDArray[np.intp]
    gateway_km: FloatArray
    region_km: FloatArray
    state: NDArray[np.uint8]
    rtt_ms: FloatArray
    pop_km: FloatArray | None = None
    """``(k, 3)`` km: the PoP of the serving gateway (NaN: none, or direct backhaul)."""


@dataclass(frozen=True)
class SiteSeries:
    """One site over the window, per slot ``(slots,)``: round trip (ms, NaN unserved),
    serving catalog number (-1 unserved), status code (``assignment`` constants), and
    the slots where the serving satellite changed between two served slots."""

    rtt_ms: FloatArray
    norad_id: NDArray[np.int64]
    status: NDArray[np.uint8]
    handover_slots: NDArray[np.intp]
    max_rtt_ms: float

    def reason(self, j: int) -> str:
        """Status name of slot ``j``."""
        return STATUS_NAMES[int(self.status[j])]


def _ecef(rows: Sequence[Mapping[str, Any]]) -> FloatArray:
    if not rows:
        return np.empty((0, 3))
    lat = np.array([float(r["lat"]) for r in rows])
    lon = np.array([float(r["lon"]) for r in rows])
    alt = np.array([float(r.get("alt_m") or 0.0) / 1000.0 for r in rows])
    return np.asarray(ecef_from_geodetic(lat, lon, alt))


class PlanPlayback:
    """A stored plan mapped onto the console's element set and catalog.

    ``console_norad_ids`` are the (sorted) catalog numbers of the console's element set;
    ``gateways`` and ``regions`` are catalog rows (``id``, ``lat``, ``lon``, and
    ``capacity_gbps``, ``pop_lat``, ``pop_lon`` for gateways). Objects the catalog no
    longer has are not drawn.
    """

    def __init__(
        self,
        stored: StoredPlan,
        console_norad_ids: NDArray[np.int64],
        gateways: Sequence[Mapping[str, Any]],
        regions: Sequence[Mapping[str, Any]],
        console_element_set_id: int | None = None,
    ) -> None:
        self.plan_id = stored.id
        self.name = stored.name
        self.status = stored.status
        self.parameters: PlanParameters = stored.parameters
        self.start = as_utc(stored.start)
        self.step_s = stored.step_s
        arrays = stored.arrays
        self.slots = int(arrays["status"].shape[0])
        self.end = self.start + timedelta(seconds=self.slots * self.step_s)
        self.same_elements = stored.element_set_id == console_element_set_id
        self.sites = stored.sites
        self.site_ids = np.array([int(s["id"]) for s in stored.sites], dtype=np.int64)
        self.site_km = _ecef(stored.sites)
        self.max_rtt_ms = np.array([float(s["max_rtt_ms"]) for s in stored.sites])
        self.demand_mbps = np.array([float(s["demand_mbps"]) for s in stored.sites])
        self.norad_ids = stored.norad_ids
        # plan satellite index -> console index (-1 when the console's set lacks it)
        self._to_console = np.full(len(stored.norad_ids), -1, dtype=np.intp)
        if len(console_norad_ids):
            at = np.searchsorted(console_norad_ids, stored.norad_ids)
            at = np.minimum(at, len(console_norad_ids) - 1)
            self._to_console = np.where(console_norad_ids[at] == stored.norad_ids, at, -1)
        self.gateway_ids, self.region_ids = stored.gateway_ids, stored.region_ids
        self._gateway_rows = self._by_id(gateways, stored.gateway_ids)
        self._region_rows = self._by_id(regions, stored.region_ids)
        self.gateway_km = self._positions(self._gateway_rows)
        self.pop_km = self._positions([
            {"lat": r["pop_lat"], "lon": r["pop_lon"]}
            if r is not None and r.get("pop_lat") is not None else None
            for r in self._gateway_rows
        ])  # fmt: skip
        self.region_km = self._positions(self._region_rows)
        self.satellite = arrays["satellite"]
        self.gateway = arrays["gateway"]
        self.region = arrays["region"]
        self.rtt_ms = arrays["rtt_ms"].astype(np.float64)
        self.status_code = arrays["status"]
        served = self.status_code == SERVED
        miss = served & (np.nan_to_num(self.rtt_ms, nan=0.0) > self.max_rtt_ms[None, :])
        state = np.full(served.shape, UNSERVED, dtype=np.uint8)
        state[served] = MEETS_OBJECTIVE
        state[miss] = MISSES_OBJECTIVE
        self.state = state

    @staticmethod
    def _by_id(
        rows: Sequence[Mapping[str, Any]], ids: Sequence[str]
    ) -> list[Mapping[str, Any] | None]:
        index = {str(r["id"]): r for r in rows}
        return [index.get(str(key)) for key in ids]

    @staticmethod
    def _positions(rows: Sequence[Mapping[str, Any] | None]) -> FloatArray:
        out = np.full((len(rows) + 1, 3), np.nan)  # the last row answers index -1
        for i, row in enumerate(rows):
            if row is not None:
                out[i] = _ecef([row])[0]
        return out

    @property
    def mode(self) -> str:
        """``bent-pipe`` or ``isl``."""
        return self.parameters.mode

    # -- one instant ----------------------------------------------------------------
    def slot_at(self, when: datetime) -> int | None:
        """The slot holding ``when`` (UTC), or ``None`` outside the window."""
        offset = (as_utc(when) - self.start).total_seconds()
        if offset < 0 or offset >= self.slots * self.step_s:
            return None
        return int(offset // self.step_s)

    def frame(self, j: int) -> PlanFrame:
        """Who serves every site in slot ``j``."""
        sat = self.satellite[j].astype(np.intp)
        console = np.where(sat >= 0, self._to_console[np.maximum(sat, 0)], -1)
        return PlanFrame(
            j,
            np.asarray(console, dtype=np.intp),
            self.gateway_km[self.gateway[j].astype(np.intp)],
            self.region_km[self.region[j].astype(np.intp)],
            self.state[j],
            self.rtt_ms[j],
            self.pop_km[self.gateway[j].astype(np.intp)],
        )

    def serving(self, j: int, site: int) -> str:
        """One line saying who serves ``site`` in slot ``j`` (or why nobody does)."""
        sat = int(self.satellite[j, site])
        if sat < 0:
            return f"unserved: {STATUS_NAMES[int(self.status_code[j, site])]}"
        gateway = self.gateway_ids[int(self.gateway[j, site])]
        region = self.region_ids[int(self.region[j, site])]
        rtt = self.rtt_ms[j, site]
        flag = "" if self.state[j, site] == MEETS_OBJECTIVE else " (above objective)"
        return f"{self.norad_ids[sat]} → {gateway} → {region}, {rtt:.1f} ms{flag}"

    def serving_rows(self, site_id: int, when: datetime) -> list[tuple[str, str]]:
        """What serves a site at ``when`` under this plan, as (label, text) rows: the
        path, the round trip against the objective and the next change of satellite."""
        head = f"plan {self.plan_id} “{self.name}” ({self.status})"
        i = self.site_index(site_id)
        if i is None:
            return [("Plan now", f"{head} leaves this site out")]
        j = self.slot_at(when)
        if j is None:
            return [("Plan now", f"{head} does not cover this time")]
        sat = int(self.satellite[j, i])
        if sat < 0:
            reason = STATUS_NAMES[int(self.status_code[j, i])]
            return [("Plan now", head), ("Served by", f"nobody: {reason}")]
        g = int(self.gateway[j, i])
        gateway = self._gateway_rows[g]
        pop = str(gateway.get("pop_id") or "") if gateway is not None else ""
        path = [f"satellite {self.norad_ids[sat]}", f"gateway {self.gateway_ids[g]}"]
        path += [f"PoP {pop}"] if pop else []
        path.append(f"region {self.region_ids[int(self.region[j, i])]}")
        rtt, objective = float(self.rtt_ms[j, i]), float(self.max_rtt_ms[i])
        verdict = "within" if rtt <= objective else "ABOVE"
        return [
            ("Plan now", head),
            ("Served by", " → ".join(path)),
            ("Round trip", f"{rtt:.1f} ms, {verdict} its {objective:g} ms objective"),
            ("Next handover", self._next_change(i, j, when)),
        ]

    def _next_change(self, i: int, j: int, when: datetime) -> str:
        """When site ``i`` next leaves its slot-``j`` satellite, and for what."""
        sat = self.satellite[j:, i]
        later = np.flatnonzero(sat != sat[0])
        if later.size == 0:
            return "none before the plan ends"
        k = j + int(later[0])
        moment = self.start + timedelta(seconds=k * self.step_s)
        wait = round((moment - as_utc(when)).total_seconds())
        nxt = int(self.satellite[k, i])
        to = f"satellite {self.norad_ids[nxt]}" if nxt >= 0 else "no service"
        return f"{moment:%H:%M:%S} UTC (in {wait // 60}:{wait % 60:02d}) to {to}"

    # -- over the window --------------------------------------------------------------
    def site_index(self, site_id: int) -> int | None:
        """Column of a site id in the plan, or ``None`` when the plan leaves it out."""
        hits = np.flatnonzero(self.site_ids == site_id)
        return int(hits[0]) if hits.size else None

    def slot_epochs(self) -> FloatArray:
        """Start of every slot as POSIX seconds ``(slots,)`` (for time axes)."""
        return np.asarray(
            self.start.timestamp() + np.arange(self.slots, dtype=np.float64) * self.step_s
        )

    def site_series(self, i: int) -> SiteSeries:
        """Round trip, serving satellite, status and handovers of site ``i``."""
        sat = self.satellite[:, i]
        norad = np.where(sat >= 0, self.norad_ids[np.maximum(sat, 0)], -1)
        both = (sat[1:] >= 0) & (sat[:-1] >= 0)
        handovers = np.flatnonzero(both & (sat[1:] != sat[:-1])) + 1
        return SiteSeries(
            self.rtt_ms[:, i],
            np.asarray(norad, dtype=np.int64),
            self.status_code[:, i],
            handovers,
            float(self.max_rtt_ms[i]),
        )

    def elevation(self, i: int, elements: ElementSet) -> FloatArray:
        """Elevation (deg) of site ``i``'s serving satellite at each slot start
        ``(slots,)``, NaN when unserved (see :meth:`serving_look`)."""
        return self.serving_look(i, elements)[0]

    def horizons(self, i: int) -> Horizons:
        """Site ``i``'s horizon as planned: its own mask (else the plan's terminal mask)
        and its horizon profile."""
        return site_horizons([self.sites[i]], self.parameters.site_mask_deg)

    def serving_look(self, i: int, elements: ElementSet) -> tuple[FloatArray, FloatArray]:
        """Elevation (deg) of site ``i``'s serving satellite at each slot start and the
        site's horizon (deg) at that satellite's azimuth (its mask raised by its
        profile), both ``(slots,)`` and NaN when unserved; positions from ``elements``
        (the console's set).

        Only the serving satellites are propagated, chunk by chunk, so a 24 h window
        costs a few dozen small SGP4 calls.
        """
        out = np.full(self.slots, np.nan)
        horizon = np.full(self.slots, np.nan)
        rules = self.horizons(i)
        sat = self.satellite[:, i].astype(np.intp)
        console = np.where(sat >= 0, self._to_console[np.maximum(sat, 0)], -1)
        site = Sites.from_geodetic(
            [float(self.sites[i]["lat"])],
            [float(self.sites[i]["lon"])],
            float(self.sites[i].get("alt_m") or 0.0) / 1000.0,
        )
        satrecs = elements.satrecs
        for c0 in range(0, self.slots, ELEVATION_CHUNK_SLOTS):
            c1 = min(c0 + ELEVATION_CHUNK_SLOTS, self.slots)
            chunk = console[c0:c1]
            used = np.unique(chunk[chunk >= 0])
            if used.size == 0:
                continue
            times = times_from(self.start, np.arange(c0, c1) * self.step_s)
            array = SatrecArray([satrecs[int(u)] for u in used])
            positions = propagate(array, times, velocities=False).position_km
            slots = np.flatnonzero(chunk >= 0)
            rows = np.searchsorted(used, chunk[slots])
            zeros = np.zeros(slots.size, dtype=np.intp)
            azimuth, elevation, _ = pair_look_angles(site, zeros, positions[rows, slots])
            out[c0 + slots] = elevation
            horizon[c0 + slots] = rules.required_deg(zeros, azimuth)
        return out, horizon

    def coverage_raster(self) -> NDArray[np.uint8]:
        """Drawing state of every site and slot, ``(k, slots)``."""
        return np.ascontiguousarray(self.state.T)

    def utilisation(self, kind: str, key: int | str) -> tuple[FloatArray, float] | None:
        """Load (Gbps) per slot ``(slots,)`` on one satellite (catalog number), gateway
        or region (id), and its capacity (Gbps, inf when unlimited; a region's is the
        plan's ingress limit); ``None`` when the plan never uses it."""
        if kind == "satellite":
            hits = np.flatnonzero(self.norad_ids == int(key))
            column, capacity = (
                self.satellite,
                self.parameters.satellite_capacity_gbps,
            )
        elif kind == "gateway":
            hits = np.array([i for i, g in enumerate(self.gateway_ids) if g == str(key)])
            row = self._gateway_rows[int(hits[0])] if hits.size else None
            column = self.gateway
            capacity = float(row["capacity_gbps"]) if row and row.get("capacity_gbps") else np.inf
        elif kind == "region":
            hits = np.array([i for i, r in enumerate(self.region_ids) if r == str(key)])
            limits = self.parameters.region_ingress_gbps
            column, capacity = self.region, float(limits.get(str(key), np.inf))
        else:
            return None
        if hits.size == 0:
            return None
        return load_gbps(column, int(hits[0]), self.demand_mbps), capacity
