"""``opsconsole plan``: create, list, show, compare, approve, export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import geojson
import pytest
from czml3 import Document
from fastkml import KML

from opsconsole.plans.reports import SCHEDULE_COLUMNS

START = "2026-11-24T12:00Z"


def test_plan_commands_end_to_end(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    customer = json.loads(run("sites", "list", "--format", "json").out)[0]["customer"]
    made = run(
        "plan",
        "create",
        "--name",
        "base",
        "--start",
        START,
        "--hours",
        "0.5",
        "--customer",
        customer,
        "--workers",
        "1",
        "--format",
        "json",
    )
    assert made.code == 0, made.err
    base = json.loads(made.out)["id"]
    gateway = json.loads(run("gateways", "list", "--format", "json").out)[0]
    made = run(
        "plan",
        "create",
        "--name",
        "no gw",
        "--start",
        START,
        "--hours",
        "0.5",
        "--customer",
        customer,
        "--exclude-gateway",
        gateway["name"],
        "--workers",
        "1",
    )
    assert made.code == 0, made.err
    other = base + 1
    listed = json.loads(run("plan", "list", "--format", "json").out)
    assert [row["id"] for row in listed] == [other, base]
    shown = json.loads(run("plan", "show", str(other), "--format", "json").out)
    assert (
        shown["exclusions"][0]["key"] == gateway["id"] and shown["slots"] == 120
    )  # 0.5 h at the default 15 s
    compared = list(
        csv.DictReader(
            io.StringIO(run("plan", "compare", str(base), str(other), "--format", "csv").out)
        )
    )
    assert compared and all(row["main_gateway_b"] != gateway["id"] for row in compared)

    isl = run(
        "plan",
        "create",
        "--name",
        "isl",
        "--start",
        START,
        "--hours",
        "0.25",
        "--customer",
        customer,
        "--mode",
        "isl",
        "--handover",
        "rtt",
        "--workers",
        "1",
        "--format",
        "json",
    )
    assert isl.code == 0, isl.err
    stored = json.loads(run("plan", "show", str(other + 1), "--format", "json").out)
    assert stored["parameters"]["mode"] == "isl"
    assert stored["parameters"]["handover_policy"] == "rtt"
    assert "handover policy dwell" in run("plan", "show", str(base)).out  # the default
    with pytest.raises(SystemExit) as refused:  # argparse names the option and choices
        run("plan", "create", "--name", "x", "--start", START, "--hours", "1",
            "--handover", "fastest")  # fmt: skip
    assert refused.value.code == 2
    _region_ingress_limit_moves_sites(run, tmp_path, customer, base)
    assert run("plan", "approve", str(base)).code == 0
    again = run("plan", "approve", str(base))
    assert again.code == 1 and "cannot become approved" in again.err

    out = tmp_path / "plan.csv"
    assert run("plan", "export", str(base), "--format", "csv", "--out", str(out)).code == 0
    rows = list(csv.DictReader(out.open()))
    assert tuple(rows[0]) == SCHEDULE_COLUMNS
    assert all(r["customer"] == customer and r["start_utc"] < r["end_utc"] for r in rows)
    geo = tmp_path / "plan.geojson"
    assert run("plan", "export", str(base), "--format", "geojson", "--out", str(geo)).code == 0
    features = json.loads(geo.read_text())["features"]
    lines = [f for f in features if f["geometry"]["type"] == "LineString"]
    assert len(lines) == len(rows) and len(lines[0]["geometry"]["coordinates"]) == 3
    assert geojson.loads(geo.read_text()).is_valid

    kml = tmp_path / "plan.kml"
    assert run("plan", "export", str(base), "--format", "kml", "--out", str(kml)).code == 0
    document = next(iter(KML.from_string(kml.read_text()).features))
    placemarks = list(document.features)
    kinds = [type(p.geometry).__name__ for p in placemarks]
    assert kinds.count("LineString") == len(rows) and kinds.count("Point") >= 1

    czml = tmp_path / "plan.czml"
    assert run("plan", "export", str(base), "--format", "czml", "--out", str(czml)).code == 0
    packets = Document.model_validate({"packets": json.loads(czml.read_text())}).packets
    assert packets[0].id == "document"
    timed = [p for p in packets if p.availability is not None]
    assert len(timed) == len(rows)


def _region_loads(run, tmp_path: Path, plan_id: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Load (Mbps) per region and minute slot, from the exported schedule."""
    demand = {
        row["name"]: float(row["demand_mbps"])
        for row in json.loads(run("sites", "list", "--format", "json").out)
    }
    out = tmp_path / f"{plan_id}.json"
    assert run("plan", "export", str(plan_id), "--format", "json", "--out", str(out)).code == 0
    loads: dict[str, list[float]] = {}
    start = datetime.fromisoformat(START.replace("Z", "+00:00"))
    for row in json.loads(out.read_text()):
        first = int((datetime.fromisoformat(row["start_utc"]) - start).total_seconds() // 60)
        last = int((datetime.fromisoformat(row["end_utc"]) - start).total_seconds() // 60)
        slots = loads.setdefault(row["region"], [0.0] * 30)
        for slot in range(first, last):
            slots[slot] += demand[row["site"]]
    return loads


def _region_ingress_limit_moves_sites(run, tmp_path: Path, customer: str, base: int) -> None:  # type: ignore[no-untyped-def]
    """Limit the base plan's busiest region to half its peak: the new plan keeps under
    the limit and serves the rest through other regions."""
    loads = _region_loads(run, tmp_path, base)
    busiest = max(loads, key=lambda r: max(loads[r]))
    limit_gbps = max(loads[busiest]) / 2000.0
    made = run("plan", "create", "--name", "limited", "--start", START, "--hours", "0.5",
               "--customer", customer, "--region-ingress", f"{busiest}={limit_gbps}",
               "--workers", "1", "--format", "json")  # fmt: skip
    assert made.code == 0, made.err
    limited = json.loads(made.out)["id"]
    shown = json.loads(run("plan", "show", str(limited), "--format", "json").out)
    assert shown["parameters"]["region_ingress_gbps"] == {busiest: limit_gbps}
    after = _region_loads(run, tmp_path, limited)
    assert max(after.get(busiest, [0.0])) <= limit_gbps * 1000.0 + 1e-6
    assert set(after) - {busiest}, "the sites over the limit went to another region"
    assert sum(map(sum, after.values())) > sum(loads[busiest]) / 2


def test_plan_errors_are_reported(run) -> None:  # type: ignore[no-untyped-def]
    def create(*extra: str):  # type: ignore[no-untyped-def]
        return run("plan", "create", "--name", "x", "--start", START, "--hours", "1", *extra)

    assert "no plan with id 42" in run("plan", "show", "42").err
    bad = create("--exclude-region", "atlantis")
    assert bad.code == 1 and "no region with id or name 'atlantis'" in bad.err
    with pytest.raises(SystemExit) as usage:  # argparse: usage error, exit code 2
        create("--step", "20")
    assert usage.value.code == 2
    who = create("--customer", "Nobody Ltd")
    assert who.code == 1 and "no customer called 'Nobody Ltd'" in who.err
    for text, message in (("eastus", "wants ID_OR_NAME=GBPS"), ("eastus=-3", "wants ID_OR_NAME"),
                          ("atlantis=3", "no region with id or name 'atlantis'")):  # fmt: skip
        bad = create("--region-ingress", text)
        assert bad.code == 1 and message in bad.err, bad.err


def test_a_plan_far_from_its_elements_warns(run) -> None:  # type: ignore[no-untyped-def]
    """The seeded synthetic set's epoch is its seeding time (now): a window 200 days
    earlier is stale, one starting now is not."""
    from datetime import UTC, timedelta

    customer = json.loads(run("sites", "list", "--format", "json").out)[0]["customer"]
    now = datetime.now(UTC).replace(microsecond=0)
    common = ("--hours", "0.25", "--step", "60", "--customer", customer, "--workers", "1")
    old = (now - timedelta(days=200)).isoformat()
    stale = run("plan", "create", "--name", "old", "--start", old, *common)
    assert stale.code == 0, stale.err
    assert "days from" in stale.err and "(stale)" in stale.err
    fresh = run("plan", "create", "--name", "now", "--start", now.isoformat(), *common)
    assert fresh.code == 0 and "days from" not in fresh.err, fresh.err
