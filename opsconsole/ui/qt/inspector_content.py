"""What the inspector shows for each kind of object (text only; no widgets here)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.console.console_data import ConsoleData
from opsconsole.core.catalog import GBPS_PER_ANTENNA
from opsconsole.core.constellation_structure import STATUSES
from opsconsole.core.element_sets import age_status, build_element_set
from opsconsole.core.frames import geodetic_from_ecef
from opsconsole.core.look_angles import Sites
from opsconsole.core.sun import sunlit
from opsconsole.planning.coverage import in_view, next_pass
from opsconsole.planning.inputs import site_horizons
from opsconsole.store.catalog_edits import GATEWAY_FIELDS
from opsconsole.ui.qt.inspector import Field
from opsconsole.ui.qt.time_format import format_times

Rows = list[tuple[str, str]]
SITE_EDIT_FIELDS = (
    Field("name", "Name", "text"),
    Field("lat", "Latitude (deg)"),
    Field("lon", "Longitude (deg)"),
    Field("alt_m", "Altitude (m)"),
    Field("demand_mbps", "Demand (Mbps)"),
    Field("max_rtt_ms", "SLO: max RTT (ms)"),
    Field("min_availability_pct", "SLO: availability (%)"),
    Field("residency", "Residency zones (;-separated)", "text"),
    Field("priority", "Priority (1-5)"),
    Field("min_elevation_deg", "Terminal mask (deg; empty: plan default)", "text"),
    Field("horizon", "Horizon profile (az:el;…)", "text"),
)
CUSTOMER_EDIT_FIELDS = (Field("name", "Name", "text"), Field("sector", "Sector", "text"))
_GATEWAY_LABELS = {
    "name": "Name",
    "country": "Country",
    "lat": "Latitude (deg)",
    "lon": "Longitude (deg)",
    "alt_m": "Altitude (m)",
    "antennas": "Antennas",
    "capacity_gbps": "Capacity (Gbps)",
    "min_elevation_deg": "Elevation mask (deg)",
    "residency_zone": "Residency zone",
    "status": "Status (operational / planned)",
    "pop_id": "Home PoP (id)",
}
GATEWAY_EDIT_FIELDS = tuple(
    Field(
        key,
        _GATEWAY_LABELS[key],
        "text" if key in ("name", "country", "residency_zone", "status", "pop_id") else "number",
    )
    for key in GATEWAY_FIELDS
)


def _age_text(days: float) -> str:
    flag = {"ok": "", "warning": " ⚠ ageing", "stale": " ⚠ STALE"}[age_status(days)]
    return f"{days:.1f} days{flag}" if abs(days) >= 1 else f"{days * 24:.1f} h{flag}"


def satellite_rows(
    data: ConsoleData,
    index: int,
    when: datetime,
    position_km: NDArray[np.float64],
    velocity_km_s: NDArray[np.float64] | None,
    sun_km: NDArray[np.float64],
) -> Rows:
    """Identity, elements and live state of one satellite at ``when``."""
    record, s = data.elements.records[index], data.structure
    shell = s.shell_labels[s.shell[index]] if s.shell[index] >= 0 else "not in a shell"
    plane = f"{s.plane[index] + 1} (RAAN {s.raan_deg[index]:.1f}°)" if s.plane[index] >= 0 else "–"
    rows: Rows = [
        ("Catalog number", str(record.norad_id)),
        ("Element epoch", format_times(record.epoch)[0]),
        ("Element age", _age_text((when - record.epoch) / timedelta(days=1))),
        ("Shell", shell),
        ("Plane", plane),
        ("Status", STATUSES[s.status[index]]),
        ("Inclination", f"{s.inclination_deg[index]:.2f}°"),
    ]
    if not np.isfinite(position_km).all():
        return [*rows, ("Position", "propagation failed (decayed or invalid elements)")]
    lat, lon, alt = geodetic_from_ecef(position_km.reshape(1, 3))
    speed = float(np.linalg.norm(velocity_km_s)) if velocity_km_s is not None else float("nan")
    lit = bool(sunlit(position_km.reshape(1, 3), sun_km)[0])
    return [
        *rows,
        ("Altitude", f"{alt[0]:.1f} km"),
        ("Latitude / longitude", f"{lat[0]:+.3f}°, {lon[0]:+.3f}°"),
        ("Speed (Earth-fixed)", f"{speed:.3f} km/s" if np.isfinite(speed) else "–"),
        ("Illumination", "sunlit" if lit else "in eclipse"),
    ]


def next_pass_text(
    data: ConsoleData, index: int, site: dict[str, Any] | None, when: datetime, mask_deg: float
) -> str:
    """Next pass of one satellite above ``site``'s horizon (its own mask and profile;
    ``mask_deg`` where it has no mask) within 24 h: rise, culmination, set."""
    if site is None:
        return "select a site first"
    single = build_element_set([data.elements.records[index]], "inspector")
    sites = Sites.from_geodetic([site["lat"]], [site["lon"]], site["alt_m"] / 1000.0)
    found = next_pass(single, sites, when, min_elevation_deg=site_horizons([site], mask_deg))
    if found is None:
        return f"none in 24 h over {site['name']}"
    start = "in view now" if found.rise is None else f"rises {found.rise:%H:%M:%S}"
    finish = f"sets {found.set:%H:%M:%S} UTC" if found.set is not None else "beyond 24 h"
    return f"{site['name']}: {start}, max {found.max_elevation_deg:.1f}°, {finish}"


def site_rows(
    data: ConsoleData, site: dict[str, Any], positions: NDArray[np.float64], mask_deg: float
) -> Rows:
    """A site's customer, demand, SLO, residency and satellites in view now."""
    sites = Sites.from_geodetic([site["lat"]], [site["lon"]], site["alt_m"] / 1000.0)
    horizons = site_horizons([site], mask_deg)
    seen = in_view(sites, positions, horizons)
    own = site.get("min_elevation_deg")
    mask_text = f"{mask_deg:g}° (the default)" if own is None else f"{float(own):g}°"
    top = ", ".join(
        f"{data.elements.names[i]} {el:.0f}°"
        for i, el in zip(seen.satellite[:3], seen.elevation_deg[:3], strict=False)
    )
    return [
        ("Customer", f"{site['customer']} ({site['sector'] or 'no sector'})"),
        ("Location", f"{site['lat']:+.4f}°, {site['lon']:+.4f}°, {site['alt_m']:g} m"),
        ("Demand", f"{site['demand_mbps']:g} Mbps"),
        (
            "SLO",
            f"RTT ≤ {site['max_rtt_ms']:g} ms, availability ≥ {site['min_availability_pct']:g} %",
        ),
        ("Residency", site["residency"] or "no restriction"),
        ("Priority", str(site["priority"])),
        ("Terminal mask", mask_text),
        ("Horizon profile", str(site.get("horizon") or "") or "none (open sky)"),
        (
            "In view now (above its horizon)",
            f"{len(seen.satellite)}" + (f": {top}" if top else ""),
        ),
    ]


def gateway_rows(gateway: dict[str, Any]) -> Rows:
    """A gateway's properties; capacity says whether it is the catalog's model
    (antennas x the per-antenna figure) or set by an operator."""
    antennas = int(gateway["antennas"])
    source = str(gateway.get("antennas_source") or "catalog")
    modelled = math.isclose(float(gateway["capacity_gbps"]), antennas * GBPS_PER_ANTENNA)
    how = (f"modelled: {antennas} antennas × {GBPS_PER_ANTENNA:g} Gbps" if modelled
           else "set by an operator")  # fmt: skip
    pop = gateway.get("pop_id")
    regions = str(gateway["backhaul_regions"]).split(";")
    reach = ", ".join(regions[:4]) + (f" and {len(regions) - 4} more" if len(regions) > 4 else "")
    return [
        ("Gateway id", str(gateway["id"])),
        ("Status", str(gateway.get("status") or "operational")),
        ("Location", f"{gateway['lat']:+.4f}°, {gateway['lon']:+.4f}° ({gateway['country']})"),
        (
            "Antennas",
            f"{antennas}" + (" (assumed: not in StarPerf)" if source == "assumed" else ""),
        ),
        ("Capacity", f"{gateway['capacity_gbps']:g} Gbps ({how})"),
        ("Elevation mask", f"{gateway['min_elevation_deg']:g}°"),
        ("Residency zone", str(gateway["residency_zone"])),
        ("Home PoP", f"{gateway.get('pop_name')} ({pop})" if pop else "none: direct backhaul"),
        ("Regions reached", reach if gateway["backhaul_regions"] else "–"),
    ]


def pop_rows(pop: dict[str, Any]) -> Rows:
    """A point of presence's properties."""
    code = str(pop["code"]) + (" (derived)" if pop.get("code_source") == "derived" else "")
    regions = str(pop["regions"]).split(";") if pop["regions"] else []
    return [
        ("PoP id", str(pop["id"])),
        ("Code", code),
        ("Status", str(pop["status"])),
        ("Location", f"{pop['lat']:+.4f}°, {pop['lon']:+.4f}° ({pop['country']})"),
        ("Residency zone", str(pop["residency_zone"])),
        ("Gateways homed here", str(pop.get("gateways", 0))),
        ("Regions (modelled)", ", ".join(regions[:4]) + (" …" if len(regions) > 4 else "")),
    ]


def region_rows(region: dict[str, Any]) -> Rows:
    """A cloud region's properties."""
    return [
        ("Provider", str(region["provider"])),
        ("Region name", str(region["name"])),
        ("Location", f"{region['lat']:+.4f}°, {region['lon']:+.4f}° ({region['country']})"),
        ("Geography", str(region["geography"])),
        ("Residency zone", str(region["residency_zone"])),
        ("Paired region", str(region["paired_region"] or "–")),
    ]
