"""Stored plans as rows, comparisons and exports (CSV, JSON, GeoJSON)."""

from __future__ import annotations

from typing import Any, TextIO

import numpy as np

from opsconsole.planning.assignment import SERVED, STATUS_NAMES
from opsconsole.planning.schedule import intervals
from opsconsole.plans.service import stored_result
from opsconsole.row_formats import json_text
from opsconsole.store.plan_repository import StoredPlan

SCHEDULE_COLUMNS = (
    "site",
    "customer",
    "norad_id",
    "gateway",
    "region",
    "start_utc",
    "end_utc",
    "rtt_ms_mean",
    "rtt_ms_max",
)
UNSERVED_COLUMNS = ("site", "customer", "reason", "start_utc", "end_utc")
COMPARE_COLUMNS = (
    "site",
    "customer",
    "availability_pct_a",
    "availability_pct_b",
    "availability_delta",
    "rtt_p50_ms_a",
    "rtt_p50_ms_b",
    "rtt_p50_delta",
    "handovers_a",
    "handovers_b",
    "main_gateway_a",
    "main_gateway_b",
    "main_region_a",
    "main_region_b",
    "changed",
)


def _utc(moment: Any) -> str:
    return str(moment.isoformat().replace("+00:00", "Z"))


def schedule_rows(stored: StoredPlan) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Served intervals (``SCHEDULE_COLUMNS``) and unserved ones (``UNSERVED_COLUMNS``)."""
    iv = intervals(stored_result(stored))
    served_rows: list[tuple[Any, ...]] = []
    unserved_rows: list[tuple[Any, ...]] = []
    for i in range(len(iv)):
        site = stored.sites[int(iv.site[i])]
        start, end = _utc(iv.start_utc(i)), _utc(iv.end_utc(i))
        if iv.status[i] == SERVED:
            served_rows.append(
                (
                    site["name"],
                    site["customer"],
                    int(stored.norad_ids[iv.satellite[i]]),
                    stored.gateway_ids[iv.gateway[i]],
                    stored.region_ids[iv.region[i]],
                    start,
                    end,
                    round(float(iv.rtt_mean_ms[i]), 3),
                    round(float(iv.rtt_max_ms[i]), 3),
                )
            )
        else:
            unserved_rows.append(
                (site["name"], site["customer"], STATUS_NAMES[int(iv.status[i])], start, end)
            )
    return served_rows, unserved_rows


def _main_use(stored: StoredPlan, name: str, ids: list[str]) -> list[str]:
    """The gateway or region each site used most (``""`` when never served)."""
    column = stored.arrays[name]
    out = []
    for j in range(column.shape[1]):
        used = column[:, j][column[:, j] >= 0]
        out.append(ids[int(np.bincount(used).argmax())] if used.size else "")
    return out


def compare_rows(a: StoredPlan, b: StoredPlan) -> list[tuple[Any, ...]]:
    """Per-site deltas (b minus a) for sites in both plans, matched by site id."""
    index_b = {int(site["id"]): j for j, site in enumerate(b.sites)}
    gw_a, gw_b = _main_use(a, "gateway", a.gateway_ids), _main_use(b, "gateway", b.gateway_ids)
    rg_a, rg_b = _main_use(a, "region", a.region_ids), _main_use(b, "region", b.region_ids)
    ma, mb = a.metrics, b.metrics
    rows = []
    for i, site in enumerate(a.sites):
        j = index_b.get(int(site["id"]))
        if j is None:
            continue
        av_a, av_b = float(ma["availability_pct"][i]), float(mb["availability_pct"][j])
        p_a, p_b = float(ma["rtt_p50_ms"][i]), float(mb["rtt_p50_ms"][j])
        changed = gw_a[i] != gw_b[j] or rg_a[i] != rg_b[j]
        rows.append(
            (
                site["name"],
                site["customer"],
                round(av_a, 3),
                round(av_b, 3),
                round(av_b - av_a, 3),
                round(p_a, 3),
                round(p_b, 3),
                round(p_b - p_a, 3),
                int(ma["handovers"][i]),
                int(mb["handovers"][j]),
                gw_a[i],
                gw_b[j],
                rg_a[i],
                rg_b[j],
                changed,
            )
        )
    return rows


def write_geojson(
    stored: StoredPlan, gateways: dict[str, Any], regions: dict[str, Any], out: TextIO
) -> None:
    """Served intervals as LineStrings site -> gateway -> region (lon, lat), with the
    schedule columns as properties; sites as Points with their availability."""
    served, _ = schedule_rows(stored)
    by_name = {(s["name"], s["customer"]): s for s in stored.sites}
    features: list[dict[str, Any]] = []
    for i, site in enumerate(stored.sites):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site["lon"], site["lat"]]},
                "properties": {
                    "site": site["name"],
                    "customer": site["customer"],
                    "availability_pct": round(float(stored.metrics["availability_pct"][i]), 3),
                },
            }
        )
    for row in served:
        record = dict(zip(SCHEDULE_COLUMNS, row, strict=True))
        site = by_name[(record["site"], record["customer"])]
        g, r = gateways[record["gateway"]], regions[record["region"]]
        line = [[site["lon"], site["lat"]], [g["lon"], g["lat"]], [r["lon"], r["lat"]]]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": record,
            }
        )
    out.write(json_text({"type": "FeatureCollection", "features": features}))
    out.write("\n")
