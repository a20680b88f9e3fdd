"""A late element-set update: the satellites are not where the plan's elements put them.

The event ``element_update`` says, from its time on, where the satellites really are:
``along_track_s`` seconds further along their orbits than the session's element set
puts them (an along-track timing error, the usual way orbital elements go stale). The
update itself is an element set (``advanced``): the same elements with every epoch
``along_track_s`` seconds earlier, so SGP4 puts each satellite at time *t* exactly where
the old set puts it at *t* + ``along_track_s`` (in the TEME frame; the Earth turns at
the true time). Moving the mean anomaly on instead is not exact: SGP4's drag terms grow
with the time from the epoch, so real elements a day old would be off by up to a
kilometre. The console imports and activates it when the event fires, and plans made
from then on use it.

A planned link holds only while the planned satellite is really above the site's mask
and (bent-pipe) above its gateway's mask; the others are lost. Slots whose plan was made
with the elements in force then lose nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4.api import SatrecArray

from opsconsole.core.element_readers import tle_epoch
from opsconsole.core.element_sets import (
    ElementRecord,
    ElementSet,
    build_element_set,
    parse_omm_epoch,
)
from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites, pair_look_angles
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.core.tle_lines import with_epoch
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import site_horizons
from opsconsole.planning.planner import PlanResult
from opsconsole.store.database import Store
from opsconsole.store.element_repository import import_element_set, load_element_set
from opsconsole.training.scenario import Event
from opsconsole.training.world import in_force


def _advanced_record(record: ElementRecord, along_track_s: float) -> ElementRecord:
    """The record with its epoch ``along_track_s`` seconds earlier (TLE epochs keep
    1e-8 day, 0.9 ms; OMM epochs a microsecond)."""
    epoch = record.epoch - timedelta(seconds=along_track_s)
    if record.kind == "tle":
        line1 = with_epoch(record.line1, epoch)
        return replace(record, epoch=tle_epoch(line1), line1=line1)
    omm = {**record.omm, "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f")}
    return replace(record, epoch=parse_omm_epoch(omm["EPOCH"]), omm=omm)


def advanced(elements: ElementSet, along_track_s: float) -> ElementSet:
    """The update saying every satellite of ``elements`` is ``along_track_s`` seconds
    further along its orbit (same elements and catalog numbers; see the module)."""
    records = [_advanced_record(r, along_track_s) for r in elements.records]
    source = f"{elements.source} (late update: {along_track_s:+g} s along track)"
    return build_element_set(records, source, synthetic=elements.synthetic)


def shift_per_slot(events: Sequence[Event], times: Sequence[datetime]) -> NDArray[np.float64]:
    """``[slots]`` seconds the satellites are ahead of the session's elements (the
    latest update in force wins; 0 where none is)."""
    shift = np.zeros(len(times))
    for event in sorted((e for e in events if e.kind == "element_update"),
                        key=lambda e: e.start):  # fmt: skip
        shift[in_force(event, times)] = float(event.fields["along_track_s"])
    return shift


def site_geometry(
    rows: Sequence[Mapping[str, Any]], default_mask_deg: float
) -> tuple[Sites, Horizons]:
    """Sites (``lat``, ``lon`` in degrees, ``alt_m``) and their horizons (masks and
    profiles, read as the planner reads them: ``planning.inputs.site_horizons``)."""
    sites = Sites.from_geodetic(
        [float(r["lat"]) for r in rows],
        [float(r["lon"]) for r in rows],
        [float(r.get("alt_m") or 0.0) / 1000.0 for r in rows],
    )
    return sites, site_horizons(rows, default_mask_deg)


def _in_view(
    positions_km: NDArray[np.float64],
    columns: NDArray[np.intp],
    sites: Sites,
    horizons: Horizons,
    gateway_index: NDArray[np.intp] | None,
    gateways: Sites | None,
    gateway_mask_deg: NDArray[np.float64] | None,
) -> NDArray[np.bool_]:
    """``[p]``: satellite ``positions_km[p]`` (ITRS km) above the horizon of site
    ``columns[p]`` and, with gateways, above the mask of gateway ``gateway_index[p]``."""
    az, up, _rng = pair_look_angles(sites, columns, positions_km)
    ok = horizons.above(columns, np.nan_to_num(az), np.nan_to_num(up, nan=-90.0))
    if gateways is not None and gateway_mask_deg is not None and gateway_index is not None:
        _az, down, _rng = pair_look_angles(gateways, gateway_index, positions_km)
        ok &= np.nan_to_num(down, nan=-90.0) >= gateway_mask_deg[gateway_index]
    return ok


def links_lost(
    elements: ElementSet,
    plan: PlanResult,
    times: Sequence[datetime],
    shift_s: NDArray[np.float64],
    sites: Sites,
    horizons: Horizons,
    gateways: Sites | None,
    gateway_mask_deg: NDArray[np.float64] | None,
    planned_shift_s: NDArray[np.float64] | None = None,
) -> NDArray[np.bool_]:
    """``[slots, k]``: served by the plan, but its satellite is really out of view of
    the site or (``gateways`` given: bent-pipe) of its gateway at either end of the slot
    (a planned link must hold for the whole slot, as the planner requires).

    ``elements`` is the session's element set, which ``plan.satellite`` indexes;
    ``plan.gateway`` indexes ``gateways``. ``shift_s`` ``[slots]`` is where the
    satellites really are (``shift_per_slot``) and ``planned_shift_s`` ``[slots]`` the
    update the plan in force was made with (0: the session's set). Only the planned
    satellites are propagated, with the true elements, at the true times."""
    slots, k = plan.satellite.shape
    lost = np.zeros((slots, k), dtype=bool)
    planned = np.zeros(slots) if planned_shift_s is None else planned_shift_s
    differs = np.flatnonzero(shift_s != planned)
    for value in np.unique(shift_s[differs]):
        rows = differs[shift_s[differs] == value]
        served = plan.status[rows] == SERVED
        used = np.unique(plan.satellite[rows][served].astype(np.intp))
        if used.size == 0:
            continue
        truth = [_advanced_record(elements.records[u], float(value)).satrec()
                 for u in used.tolist()]  # fmt: skip
        starts = [(times[int(j)] - times[0]).total_seconds() for j in rows]
        offsets = [*starts, *(t + plan.step_s for t in starts)]  # both ends of each slot
        at = propagate(SatrecArray(truth), times_from(times[0], offsets), velocities=False)
        for column, j in enumerate(rows.tolist()):
            cols = np.flatnonzero(plan.status[j] == SERVED)
            which = np.searchsorted(used, plan.satellite[j, cols].astype(np.intp))
            gw = plan.gateway[j, cols].astype(np.intp)
            ok = np.ones(cols.size, dtype=bool)
            for end in (column, column + len(starts)):
                ok &= _in_view(at.position_km[which, end], cols, sites, horizons, gw,
                               gateways, gateway_mask_deg)  # fmt: skip
            lost[j, cols[~ok]] = True
    return lost


def lost_now(
    truth: ElementSet,
    when: datetime,
    planned_norad: NDArray[np.int64],
    served: NDArray[np.bool_],
    sites: Sites,
    horizons: Horizons,
    gateway_index: NDArray[np.intp],
    gateways: Sites | None,
    gateway_mask_deg: NDArray[np.float64] | None,
) -> NDArray[np.bool_]:
    """``[k]`` at one moment: a served site whose planned satellite (catalog number
    ``planned_norad[i]``) is, by the ``truth`` elements, out of view of the site or its
    gateway (``gateways`` given), or not in ``truth`` at all."""
    lost = np.zeros(len(planned_norad), dtype=bool)
    cols = np.flatnonzero(served)
    if cols.size == 0:
        return lost
    ids = np.asarray(truth.norad_ids)
    at = np.minimum(np.searchsorted(ids, planned_norad[cols]), max(len(ids) - 1, 0))
    known = (ids[at] == planned_norad[cols]) if len(ids) else np.zeros(cols.size, dtype=bool)
    lost[cols[~known]] = True
    cols, at = cols[known], at[known]
    if cols.size == 0:
        return lost
    unique, which = np.unique(at, return_inverse=True)
    satrecs = SatrecArray([truth.satrecs[int(u)] for u in unique])
    positions = propagate(satrecs, times_from(when, [0.0]), velocities=False).position_km
    ok = _in_view(positions[which, 0], cols, sites, horizons, gateway_index[cols],
                  gateways, gateway_mask_deg)  # fmt: skip
    lost[cols[~ok]] = True
    return lost


def import_update(store: Store, base_set_id: int, along_track_s: float, session_id: int) -> int:
    """Store the update of element set ``base_set_id`` (``advanced``) as the active
    set, in one audited transaction; returns its id."""
    base = load_element_set(store, base_set_id)
    name = f"Late update {along_track_s:+g} s of set {base_set_id} (training session {session_id})"
    return import_element_set(store, advanced(base, along_track_s), name, activate=True)


def import_update_at(db_path: str, base_set_id: int, along_track_s: float, session_id: int) -> int:
    """:func:`import_update` on its own connection to the database at ``db_path`` (the
    console runs it in a child process: building the satellites holds the GIL)."""
    with Store(db_path) as store:
        return import_update(store, base_set_id, along_track_s, session_id)
