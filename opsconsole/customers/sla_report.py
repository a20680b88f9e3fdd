"""A customer's SLA report for a period: the contract, the service record, the accounts.

Per site (``customers.sla``): every outage with its causes (the recorded incidents on
the site's planned path at the time, or "not served by the plan", "no plan in force"),
availability against the objective, the round-trip percentile against its objective,
and the credit due. For the customer: the sites' mean availability, whether every site
met its SLA, and the credit summed over the sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from opsconsole.core.contracts import Contract
from opsconsole.core.incidents import Incident
from opsconsole.customers.service_record import (
    NO_PLAN,
    ServiceRecord,
    pop_gateways,
    service_record,
)
from opsconsole.customers.sla import Exclusion, SiteAccount, account_site, outage_runs, period_fee
from opsconsole.store.contract_repository import ContractError, get_contract
from opsconsole.store.database import Store
from opsconsole.training.service import CAPACITY, OK, OUTAGE, SLO_MISS, UNPLANNED


@dataclass(frozen=True)
class SlaReport:
    """The report of ``customer`` over ``[start, end)`` (UTC)."""

    customer: str
    contract: Contract
    start: datetime
    end: datetime
    sites: tuple[SiteAccount, ...]
    switches: tuple[tuple[datetime, int | None], ...]
    incidents: tuple[Incident, ...]

    @property
    def availability_pct(self) -> float:
        """Mean of the sites' availabilities (100 with no sites)."""
        return float(np.mean([s.availability_pct for s in self.sites])) if self.sites else 100.0

    @property
    def credit(self) -> float:
        return round(sum(s.credit for s in self.sites), 2)

    @property
    def met(self) -> bool:
        return all(s.met for s in self.sites)


def _customer_sites(store: Store, customer: str) -> tuple[str, list[dict[str, Any]]]:
    row = store.conn.execute(
        "SELECT id, name FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id", (customer,)
    ).fetchone()
    if row is None:
        raise ContractError(f"no customer called {customer!r}")
    sites = store.conn.execute(
        "SELECT id, name, max_rtt_ms FROM sites WHERE customer_id = ? ORDER BY id", (row[0],)
    ).fetchall()
    return str(row[1]), [
        {"id": int(s[0]), "name": str(s[1]), "max_rtt_ms": float(s[2])} for s in sites
    ]


def _matches(incident: Incident, gateways: set[str], regions: set[str], satellites: set[int],
             pop_gateways: dict[str, list[str]], planes: dict[int, set[int]]) -> bool:  # fmt: skip
    if incident.kind == "gateway":
        return incident.element_id in gateways
    if incident.kind == "pop":
        return bool(gateways & set(pop_gateways.get(incident.element_id, [])))
    if incident.kind == "region":
        return incident.element_id in regions
    if incident.kind == "satellite":
        return int(incident.element_id) in satellites
    return bool(satellites & planes.get(int(incident.element_id), {int(incident.element_id)}))


def _label(incident: Incident) -> str:
    ticket = f", {incident.ticket}" if incident.ticket else ""
    what = "reduced capacity" if incident.capacity_pct is not None else "out of service"
    return f"incident {incident.id}: {incident.element} {what} ({incident.cause}{ticket})"


def _causes(record: ServiceRecord, column: int, a: int, b: int, pops: dict[str, list[str]],
            planes: dict[int, set[int]]) -> tuple[str, ...]:  # fmt: skip
    codes = set(np.unique(record.reason[a:b, column]).tolist())
    out: list[str] = []
    if NO_PLAN in codes:
        out.append("no plan in force")
    if UNPLANNED in codes:
        out.append("not served by the plan")
    if codes & {OUTAGE, CAPACITY}:
        span = slice(a, b)
        gateways = {g for g in record.gateway[span, column] if g is not None}
        regions = {r for r in record.region[span, column] if r is not None}
        satellites = {int(s) for s in record.satellite[span, column] if s is not None}
        start = record.start + timedelta(seconds=a * record.step_s)
        end = record.start + timedelta(seconds=b * record.step_s)
        found = [_label(i) for i in record.incidents if i.overlaps(start, end)
                 and _matches(i, gateways, regions, satellites, pops, planes)]  # fmt: skip
        out += found or ["outage" if OUTAGE in codes else "capacity"]
    return tuple(out)


def sla_report(store: Store, customer: str, start: datetime, end: datetime,
               exclusions: tuple[Exclusion, ...] | None = None) -> SlaReport:  # fmt: skip
    """The SLA report of ``customer`` over ``[start, end)`` (aware UTC, ``end`` after
    ``start``). ``exclusions`` default to the maintenances notified to the customer in
    time (``customers.notices.maintenance_exclusions``). Raises ``ContractError`` for an
    unknown customer or one without contract."""
    name, sites = _customer_sites(store, customer)
    contract = get_contract(store, name)
    if contract is None:
        raise ContractError(f"customer {name!r} has no contract (opsconsole contract import FILE)")
    if end <= start:
        raise ValueError("the period must end after it starts")
    if exclusions is None:
        from opsconsole.customers.notices import maintenance_exclusions

        exclusions = maintenance_exclusions(store, name, contract.maintenance_notice_h, start, end)
    record = service_record(store, start, end, [s["id"] for s in sites])
    pops = pop_gateways(store)
    planes = _plane_sets(store, record)
    period_s = (end - start).total_seconds()
    fee = period_fee(contract, start, end)
    accounts = []
    for column, site in enumerate(sites):
        reason = record.reason[:, column]
        runs = outage_runs(~np.isin(reason, (OK, SLO_MISS)))
        causes = [_causes(record, column, a, b, pops, planes) for a, b in runs]
        objective = contract.max_rtt_ms if contract.max_rtt_ms is not None else site["max_rtt_ms"]
        account = account_site(site["name"], contract, start, record.step_s, reason,
                               record.rtt_ms[:, column], causes, exclusions,
                               rtt_objective_ms=objective, period_s=period_s, fee=fee)  # fmt: skip
        accounts.append(account)
    return SlaReport(name, contract, start, end, tuple(accounts), record.switches, record.incidents)


def _plane_sets(store: Store, record: ServiceRecord) -> dict[int, set[int]]:
    """Members of every plane named by an incident, from the active element set."""
    wanted = [int(i.element_id) for i in record.incidents if i.kind == "plane"]
    if not wanted:
        return {}
    from opsconsole.core.constellation_structure import constellation_structure
    from opsconsole.store.element_repository import load_element_set
    from opsconsole.training.world import plane_members

    elements = load_element_set(store)
    structure = constellation_structure(elements, record.start)
    ids = np.asarray(elements.norad_ids, dtype=np.int64)
    return {
        n: {int(x) for x in plane_members(structure.shell, structure.plane, ids, n)} for n in wanted
    }
