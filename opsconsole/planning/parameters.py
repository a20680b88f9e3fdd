"""Every constant of the assignment model, named, with its unit (see docs/planning.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

SPEED_OF_LIGHT_KM_S = 299_792.458
"""Radio path through space and air (km/s)."""
FIBRE_INDEX = 1.468
"""Group index of standard single-mode fibre: light in fibre runs at c / 1.468."""
ALLOWED_STEPS_S = (15.0, 30.0, 60.0)
MAX_DURATION_S = 31 * 86_400.0
"""Longest plan window (s): 31 days."""

Mode = Literal["bent-pipe", "isl"]
HandoverPolicy = Literal["rtt", "dwell"]
HANDOVER_POLICIES = ("rtt", "dwell")
DEFAULT_HANDOVER_POLICY: HandoverPolicy = "dwell"


@dataclass(frozen=True)
class PlanParameters:
    """A planning run's window and model constants.

    Times are aware UTC; ``step_s`` is the slot length (15, 30 or 60 s). Distances km,
    times ms, capacities Gbps, masks degrees.
    """

    start: datetime
    duration_s: float
    step_s: float = 15.0
    """Slot length; 15 s is Starlink's published reassignment interval."""
    mode: Mode = "bent-pipe"
    site_mask_deg: float = 25.0
    """Terminal elevation mask used when a site has no override."""
    satellite_capacity_gbps: float = 20.0
    """User-link capacity of one satellite (all its beams together)."""
    route_factor: float = 1.5
    """Terrestrial fibre route length over great-circle distance, PoP to cloud region
    (for a gateway with no PoP: gateway to region)."""
    gateway_pop_route_factor: float = 1.5
    """Fibre route length over great-circle distance, gateway to its home PoP."""
    include_planned_gateways: bool = False
    """A what-if: plan as if the catalog's planned gateways were already live."""
    terminal_processing_ms: float = 5.0
    """User terminal: modem, coding and queueing, both directions of a round trip."""
    satellite_processing_ms: float = 1.0
    """On-board demodulation, switching and remodulation, both passes of a round trip."""
    frame_scheduling_ms: float = 12.0
    """Waiting for the radio frame and uplink grant on the user and feeder links (the
    shared channel is scheduled in frames; the uplink waits for a grant)."""
    gateway_pop_processing_ms: float = 2.0
    """Gateway baseband and the PoP's routers and carrier-grade NAT, round trip."""
    isl_grazing_altitude_km: float = 80.0
    """An inter-satellite link's line of sight must clear the Earth by this much (km)
    at both ends of a slot (refraction and absorption of the lower atmosphere)."""
    handover_margin_ms: float = 5.0
    """``rtt`` policy: keep the serving satellite while valid unless another path is
    this much faster."""
    handover_policy: HandoverPolicy = DEFAULT_HANDOVER_POLICY
    """How a site's satellite is chosen (docs/planning.md, "Handover policy"): ``rtt``,
    the best round trip with the hysteresis of ``handover_margin_ms``; ``dwell``, among
    paths within ``dwell_margin_ms`` of the best round trip, keep the serving satellite,
    else take the one that stays valid longest."""
    dwell_margin_ms: float = 10.0
    """``dwell`` policy: how much worse than the slot's best round trip a path may be
    and still be chosen for staying valid longer."""
    dwell_lookahead_s: float = 600.0
    """``dwell`` policy: how far ahead a link's remaining validity is looked for (s);
    links valid for longer count as equal."""
    priority_weights: dict[int, float] = field(
        default_factory=lambda: {1: 10_000.0, 2: 1_000.0, 3: 100.0, 4: 10.0, 5: 1.0}
    )
    """Weight of one Mbps of demand by site priority (1 highest): any amount of a higher
    priority's demand outweighs the same amount of every lower priority together."""
    region_ingress_gbps: dict[str, float] = field(default_factory=dict)
    """Ingress limit of a cloud region (id -> Gbps) for traffic from all its gateways;
    regions not named are unlimited. With any limit set, every allowed region of a
    (site, gateway) pair becomes a candidate, not only the nearest."""

    def __post_init__(self) -> None:
        if self.step_s not in ALLOWED_STEPS_S:
            raise ValueError(f"step must be one of {ALLOWED_STEPS_S} s, got {self.step_s:g}")
        if not 0.0 < self.duration_s <= MAX_DURATION_S:
            raise ValueError(
                f"the window must last more than 0 s and at most {MAX_DURATION_S / 86400:g} "
                f"days, got {self.duration_s!r} s"
            )
        if not 0.0 <= self.isl_grazing_altitude_km < 1000.0:
            raise ValueError(
                f"grazing altitude must be 0 to 1000 km, got {self.isl_grazing_altitude_km!r}"
            )
        for name in ("terminal_processing_ms", "satellite_processing_ms",
                     "frame_scheduling_ms", "gateway_pop_processing_ms"):  # fmt: skip
            if not 0.0 <= getattr(self, name) <= 100.0:
                raise ValueError(f"{name} must be 0 to 100 ms, got {getattr(self, name)!r}")
        for name in ("route_factor", "gateway_pop_route_factor"):
            if not 1.0 <= getattr(self, name) <= 5.0:
                raise ValueError(f"{name} must be 1 to 5, got {getattr(self, name)!r}")
        if self.handover_policy not in HANDOVER_POLICIES:
            raise ValueError(f"handover policy must be rtt or dwell, got {self.handover_policy!r}")
        if not 0.0 <= self.dwell_margin_ms <= 100.0:
            raise ValueError(f"dwell_margin_ms must be 0 to 100 ms, got {self.dwell_margin_ms!r}")
        if not self.step_s <= self.dwell_lookahead_s <= 3600.0:
            raise ValueError(
                f"dwell_lookahead_s must be one step to 3600 s, got {self.dwell_lookahead_s!r}"
            )
        if self.mode not in ("bent-pipe", "isl"):
            raise ValueError(f"mode must be bent-pipe or isl, got {self.mode!r}")
        for region, gbps in self.region_ingress_gbps.items():
            if not gbps >= 0.0 or gbps == float("inf"):
                raise ValueError(
                    f"ingress limit of region {region!r} must be a finite number of Gbps "
                    f"of 0 or more, got {gbps!r}"
                )

    def to_json(self) -> dict[str, Any]:
        """Every field as JSON (``start`` ISO 8601 UTC); :meth:`from_json` reads it."""
        out = asdict(self)
        out["start"] = self.start.isoformat()
        out["priority_weights"] = {str(k): v for k, v in self.priority_weights.items()}
        return out

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> PlanParameters:
        """The parameters of :meth:`to_json`, or of a plan stored by an earlier version:
        a field it lacks takes today's default, except ``handover_policy``, which was
        ``rtt`` before there was a choice. Keys that are not fields are ignored
        (``ValueError`` for a missing window or a bad value)."""
        names = {f.name for f in fields(cls)}
        known = {k: v for k, v in value.items() if k in names}
        try:
            known["start"] = datetime.fromisoformat(str(known["start"]))
            known["duration_s"] = float(known["duration_s"])
        except KeyError as exc:
            raise ValueError(f"plan parameters lack {exc.args[0]!r}") from exc
        known.setdefault("handover_policy", "rtt")
        if "priority_weights" in known:
            known["priority_weights"] = {int(k): float(v)
                                         for k, v in known["priority_weights"].items()}  # fmt: skip
        if "region_ingress_gbps" in known:
            known["region_ingress_gbps"] = {
                str(k): float(v) for k, v in (known["region_ingress_gbps"] or {}).items()
            }
        return cls(**known)

    @property
    def processing_ms(self) -> float:
        """Everything a round trip spends outside propagation (ms): the four named terms,
        calibrated against Starlink's published dish-to-PoP latency (docs/planning.md)."""
        return (self.terminal_processing_ms + self.satellite_processing_ms
                + self.frame_scheduling_ms + self.gateway_pop_processing_ms)  # fmt: skip

    @property
    def dwell_lookahead_slots(self) -> int:
        """``dwell_lookahead_s`` in whole slots (at least one)."""
        return max(1, int(self.dwell_lookahead_s // self.step_s))

    @property
    def slots(self) -> int:
        """Number of slots: one per step, the last ending at or after the window's end."""
        return max(1, int(-(-self.duration_s // self.step_s)))
