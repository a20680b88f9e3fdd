"""N-1 contingencies of a plan: the single elements it uses, and what losing one costs.

A *contingency* takes one element out for the whole window: a gateway, a point of
presence (every gateway homed to it), a cloud region, or an orbital plane (every
satellite in it). Only elements the plan uses are studied: an element no site is served
through cannot change what is served. The window is then planned again without it
(``contingency_runs``) and compared with the plan made the same way with everything in
service (:func:`impact`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.constellation_structure import ConstellationStructure
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import Exclusion, PlanInputs
from opsconsole.planning.metrics import site_metrics
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import PlanResult

KINDS = ("gateway", "pop", "region", "plane")
"""What a contingency can take out, in the order studies list them."""


@dataclass(frozen=True)
class Contingency:
    """One element out for the whole window: ``kind`` (one of :data:`KINDS`), its id
    (a plane as ``"<shell index>:<plane number>"`` of the plan's element set), a label
    for people, and the planning exclusions that take it out."""

    kind: str
    element_id: str
    label: str
    exclusions: tuple[Exclusion, ...]


@dataclass(frozen=True)
class Impact:
    """What a contingency costs against the plan with everything in service.

    ``lost_weighted_pct``: share of the plan's priority-weighted served demand that is
    no longer served (%, summed over sites x slots); ``lost_demand_mbps_h``: demand no
    longer served (Mbps x hours, unweighted). Site indices into the inputs that meet
    their availability (or round-trip) objective with everything in service and miss it
    without the element; ``worst_site`` (-1: none) lost the most availability,
    ``worst_drop_pct`` percentage points."""

    lost_weighted_pct: float
    lost_demand_mbps_h: float
    sites_losing_availability: tuple[int, ...]
    sites_losing_rtt: tuple[int, ...]
    worst_site: int
    worst_drop_pct: float

    @property
    def sites_hurt(self) -> tuple[int, ...]:
        """Sites that lose their availability or round-trip objective (by index)."""
        return tuple(sorted({*self.sites_losing_availability, *self.sites_losing_rtt}))


def _values(result: PlanResult, inputs: PlanInputs, params: PlanParameters) -> NDArray[np.float64]:
    """Priority weight x demand of each site (``(k,)``), per served slot."""
    weights = np.array([params.priority_weights[int(p)] for p in inputs.priority], dtype=float)
    return np.asarray(weights * inputs.demand_mbps, dtype=np.float64)


def impact(
    base: PlanResult, without: PlanResult, inputs: PlanInputs, params: PlanParameters
) -> Impact:
    """Compare ``without`` (an element out) with ``base`` (all in service), both planned
    over the same window and inputs (arrays ``[slots, k]``)."""
    served_base = base.status == SERVED
    served_without = without.status == SERVED
    value = _values(base, inputs, params)
    base_value = float((served_base * value[None, :]).sum())
    lost_value = base_value - float((served_without * value[None, :]).sum())
    lost_slots = served_base.sum(axis=0) - served_without.sum(axis=0)  # (k,)
    a, b = site_metrics(base, inputs), site_metrics(without, inputs)
    drop = a.availability_pct - b.availability_pct
    worst = int(np.argmax(drop)) if drop.size and drop.max() > 0 else -1
    return Impact(
        lost_weighted_pct=100.0 * lost_value / base_value if base_value else 0.0,
        lost_demand_mbps_h=float((lost_slots * inputs.demand_mbps).sum()) * base.step_s / 3600.0,
        sites_losing_availability=tuple(
            int(i) for i in np.flatnonzero(a.availability_met & ~b.availability_met)
        ),
        sites_losing_rtt=tuple(int(i) for i in np.flatnonzero(a.rtt_met & ~b.rtt_met)),
        worst_site=worst,
        worst_drop_pct=float(drop[worst]) if worst >= 0 else 0.0,
    )


def contingencies(
    result: PlanResult,
    inputs: PlanInputs,
    norad_ids: NDArray[np.int64] | Sequence[int],
    structure: ConstellationStructure,
    kinds: Iterable[str] = KINDS,
) -> list[Contingency]:
    """Every element of ``kinds`` that ``result`` serves some site through, in
    :data:`KINDS` order then by id. ``norad_ids`` and ``structure`` describe the plan's
    element set (satellite index -> catalog number, plane)."""
    wanted = set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown contingency kind {sorted(unknown)[0]!r}: {', '.join(KINDS)}")
    served = result.status == SERVED
    gateways = sorted({int(g) for g in np.unique(result.gateway[served])})
    out: list[Contingency] = []
    if "gateway" in wanted:
        out += [
            Contingency("gateway", gid, gid, (Exclusion("gateway", gid),))
            for gid in sorted(inputs.gateway_ids[g] for g in gateways)
        ]
    if "pop" in wanted:
        pops = sorted({inputs.gateway_pop_ids[g] for g in gateways} - {""})
        for pop in pops:
            homed = [gid for gid, p in zip(inputs.gateway_ids, inputs.gateway_pop_ids, strict=True)
                     if p == pop]  # fmt: skip
            out.append(Contingency("pop", pop, pop, tuple(Exclusion("gateway", g) for g in homed)))
    if "region" in wanted:
        regions = sorted(inputs.region_ids[int(r)] for r in np.unique(result.region[served]))
        out += [Contingency("region", r, r, (Exclusion("region", r),)) for r in regions]
    if "plane" in wanted:
        used = np.unique(result.satellite[served])
        planes = sorted(
            {(int(structure.shell[s]), int(structure.plane[s])) for s in used}
            - {(-1, -1)}  # satellites in no shell belong to no plane
        )
        for shell, plane in planes:
            members = np.flatnonzero((structure.shell == shell) & (structure.plane == plane))
            label = f"plane {plane} of shell {structure.shell_labels[shell]}"
            excluded = tuple(Exclusion("satellite", int(norad_ids[int(m)])) for m in members)
            out.append(Contingency("plane", f"{shell}:{plane}", label, excluded))
    return out


def ranked(impacts: Sequence[Impact]) -> list[int]:
    """Indices of ``impacts``, worst first: weighted demand lost, then sites losing an
    objective, then demand lost (stable for equal impacts)."""
    return sorted(
        range(len(impacts)),
        key=lambda i: (
            -round(impacts[i].lost_weighted_pct, 9),
            -len(impacts[i].sites_hurt),
            -round(impacts[i].lost_demand_mbps_h, 6),
        ),
    )
