"""Everything that defines a planning run, as one typed value with a JSON form.

A :class:`PlanRequest` is what the Planner form, the command line, a training session
and "Re-plan" build, what travels to the planning child process, and what a stored
plan was made from (``StoredPlan.request``): the window and model constants
(``PlanParameters``), the customers planned for, exclusions, pins, the plan it revises
and the incident factors in force. How the run is executed (worker processes,
progress, cancel) is not part of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from opsconsole.planning.inputs import Exclusion, Pin, exclusion_json, exclusion_of
from opsconsole.planning.parameters import PlanParameters
from opsconsole.store.plan_repository import StoredPlan


@dataclass(frozen=True)
class PlanRequest:
    """A planning run: ``name``; ``parameters``; ``customers`` (names; empty: all);
    ``exclusions`` and ``pins``; ``parent_plan_id`` (the plan it re-plans);
    ``gateway_capacity_factor`` (gateway id -> share of capacity left, a rain fade) and
    ``demand_factor`` (customer -> factor on demand, a surge) in force."""

    name: str
    parameters: PlanParameters
    customers: tuple[str, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    pins: tuple[Pin, ...] = ()
    parent_plan_id: int | None = None
    gateway_capacity_factor: Mapping[str, float] = field(default_factory=dict)
    demand_factor: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a plan needs a name")
        for what, factors in (("gateway capacity", self.gateway_capacity_factor),
                              ("demand", self.demand_factor)):  # fmt: skip
            for key, value in factors.items():
                if not 0.0 <= float(value) < float("inf"):
                    raise ValueError(f"{what} factor of {key!r} must be 0 or more, got {value!r}")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (:meth:`from_json` reads it back to an equal request)."""
        return {
            "name": self.name,
            "parameters": self.parameters.to_json(),
            "customers": list(self.customers),
            "exclusions": [exclusion_json(e) for e in self.exclusions],
            "pins": [{"site_id": p.site_id, "kind": p.kind, "key": p.key} for p in self.pins],
            "parent_plan_id": self.parent_plan_id,
            "gateway_capacity_factor": dict(self.gateway_capacity_factor),
            "demand_factor": dict(self.demand_factor),
        }

    @classmethod
    def of_stored(cls, stored: StoredPlan) -> PlanRequest:
        """What ``stored`` was planned from (for "Re-plan": a new name and start are
        the caller's to give with ``dataclasses.replace``)."""
        return cls(stored.name, stored.parameters, stored.customers, stored.exclusions,
                   stored.pins, stored.parent_plan_id, stored.gateway_capacity_factor,
                   stored.demand_factor)  # fmt: skip

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> PlanRequest:
        """The request of :meth:`to_json` (``ValueError`` naming what is wrong)."""
        try:
            pins = tuple(Pin(int(p["site_id"]), str(p["kind"]), str(p["key"]))
                         for p in value.get("pins") or ())  # fmt: skip
            fade = {
                str(k): float(v) for k, v in (value.get("gateway_capacity_factor") or {}).items()
            }
            surge = {str(k): float(v) for k, v in (value.get("demand_factor") or {}).items()}
            return cls(
                name=str(value["name"]),
                parameters=PlanParameters.from_json(value["parameters"]),
                customers=tuple(str(c) for c in value.get("customers") or ()),
                exclusions=tuple(exclusion_of(e) for e in value.get("exclusions") or ()),
                pins=pins,
                parent_plan_id=_optional_int(value.get("parent_plan_id")),
                gateway_capacity_factor=fade,
                demand_factor=surge,
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a plan request: {exc!r}") from exc


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)
