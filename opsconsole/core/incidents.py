"""Incidents: what actually went wrong, as the operators record it.

An incident takes one element of the network out of service, or leaves it at a share of
its capacity, from ``start`` to ``end`` (aware UTC; ``end`` ``None`` while it is open),
with a cause and a ticket reference. Elements are named ``KIND:ID``: ``gateway:gw-usingen``,
``pop:pop-frankfurt``, ``region:westeurope``, ``satellite:44713`` (a catalog number) or
``plane:44713`` (every satellite in that satellite's orbital plane). Reduced capacity is
recorded for gateways and PoPs (the service model has capacities for those).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from opsconsole.core.input_errors import name_problem

KINDS = ("gateway", "pop", "region", "satellite", "plane")
DEGRADABLE = ("gateway", "pop")


@dataclass(frozen=True)
class Incident:
    """One recorded incident; ``capacity_pct`` ``None`` means out of service, else the
    share of capacity left (0 to below 100 %)."""

    kind: str
    element_id: str
    start: datetime
    end: datetime | None
    cause: str
    ticket: str = ""
    capacity_pct: float | None = None
    id: int | None = None

    @property
    def element(self) -> str:
        return f"{self.kind}:{self.element_id}"

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether it is in force at some moment of ``[start, end)``."""
        return self.start < end and (self.end is None or self.end > start)


def parse_element(text: str) -> tuple[str, str]:
    """``KIND:ID`` as ``(kind, id)``; ``ValueError`` names what is wrong."""
    kind, sep, element_id = text.strip().partition(":")
    if not sep or not element_id.strip():
        raise ValueError(f"element {text!r}: write KIND:ID, KIND one of {', '.join(KINDS)}")
    if kind not in KINDS:
        raise ValueError(f"element {text!r}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    element_id = element_id.strip()
    if kind in ("satellite", "plane") and not (element_id.isdigit() and element_id.isascii()):
        raise ValueError(f"element {text!r}: a {kind} is named by a catalog number")
    return kind, element_id


def incident_problems(incident: Incident) -> list[str]:
    """Everything wrong with ``incident`` apart from whether its element exists."""
    problems = []
    if incident.kind not in KINDS:
        problems.append(f"unknown kind {incident.kind!r}")
    if incident.start.tzinfo is None or (incident.end is not None and incident.end.tzinfo is None):
        problems.append("times must carry a UTC offset")
    elif incident.end is not None and incident.end <= incident.start:
        problems.append("the end must come after the start")
    if problem := name_problem(incident.cause, "cause"):
        problems.append(problem)
    if incident.ticket and (problem := name_problem(incident.ticket, "ticket")):
        problems.append(problem)
    capacity = incident.capacity_pct
    if capacity is not None:
        if incident.kind not in DEGRADABLE:
            problems.append(f"reduced capacity is recorded for {' and '.join(DEGRADABLE)}s only")
        elif not (math.isfinite(capacity) and 0.0 <= capacity < 100.0):
            problems.append(f"capacity_pct must be 0 to below 100, got {capacity!r}")
    return problems
