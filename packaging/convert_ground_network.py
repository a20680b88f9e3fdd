"""Build ``resources/ground_network.json`` from the public Starlink ground lists.

Run once by a developer when the source lists change (the console never reads them)::

    python packaging/convert_ground_network.py ../shared/data/starlink-ground

Sources (see that directory's README for commits and licences): ``starlink-viz``
(gateways and PoPs with status; MIT) and StarPerf (antenna counts of 262 gateways and
PoP codes; BSD-2-Clause). What neither gives is modelled here and labelled so in the
output: each gateway's antenna count where StarPerf has no match (the most common count,
8), each gateway's home PoP (the nearest operational PoP on its continent), the cloud
regions a PoP interconnects with (the two nearest of each cloud provider on its
continent) and residency zones (``EU`` for EU member states, otherwise the ISO 3166
country code; US territories ``US``).
The output is deterministic: re-running on the same inputs gives the same bytes.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "resources" / "ground_network.json"
MATCH_GATEWAY_KM = 15.0
"""A StarPerf station this close to a starlink-viz gateway is the same site."""
MATCH_POP_KM = 60.0
"""A StarPerf PoP this close to a starlink-viz PoP is the same metro PoP."""
ASSUMED_ANTENNAS = 8
"""Antenna count of a gateway StarPerf does not list: its most common count."""
REGIONS_PER_PROVIDER = 2
"""Cloud regions of each provider a PoP interconnects with (modelled)."""
GATEWAY_MASK_DEG = 25.0
"""Minimum elevation of a Ka-band gateway antenna (FCC earth-station filings)."""


def _words(text: str) -> set[str]:
    return set(text.split())


US_STATES = _words(
    "AK AL AZ CA CO CT FL GA HI IA ID IL IN KS MD ME MI MN MO MT NC ND NE NJ NM NV NY OH OK "
    "OR PA SC TN TX UT VA VT WA WI WV WY"
)
CANADIAN_PROVINCES = {"NS", "NU", "ON", "QC", "NL"}
COUNTRY_NAMES = {
    "Argentina": "AR", "Australia": "AU", "Bangladesh": "BD", "Barbados": "BB",
    "Brazil": "BR", "Bulgaria": "BG", "Canada": "CA", "Chile": "CL", "Colombia": "CO",
    "Curaçao": "CW", "DR": "DO", "Fiji": "FJ", "France": "FR", "Germany": "DE",
    "Ghana": "GH", "Guam": "GU", "GU": "GU", "Guatemala": "GT", "India": "IN",
    "Indonesia": "ID", "Ireland": "IE", "Italy": "IT", "Japan": "JP", "Kazakhstan": "KZ",
    "Kenya": "KE", "Lithuania": "LT", "Malaysia": "MY", "Mexico": "MX", "NZ": "NZ",
    "Nigeria": "NG", "Norway": "NO", "Oman": "OM", "Peru": "PE", "Philippines": "PH",
    "Poland": "PL", "Portugal": "PT", "PR": "PR", "Qatar": "QA", "Singapore": "SG",
    "South Africa": "ZA", "Spain": "ES", "Turkey": "TR", "UK": "GB",
}  # fmt: skip
EU_MEMBERS = _words(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
)
US_TERRITORIES = {"PR", "GU"}
STARPERF_ONLY_POPS = {
    "QRTOMEX1": ("Querétaro", "MX"), "FRNTDEU1": ("Frankfurt", "DE"),
    "MNLAPH1": ("Manila", "PH"), "JTNAIDN1": ("Jakarta", "ID"),
}  # fmt: skip
"""StarPerf PoPs (code -> city, country) with no starlink-viz PoP within 60 km."""
CONTINENT = {
    **dict.fromkeys(_words("US PR CA MX GT BB CW DO"), "north-america"),
    **dict.fromkeys(_words("AR BR CL CO PE"), "south-america"),
    **dict.fromkeys(_words("AT BE BG CH DE DK ES FR GB IE IT LT NL NO PL PT SE TR"), "europe"),
    **dict.fromkeys(_words("AE BD BH HK ID IL IN JP KR KZ MY OM PH QA SG TH TW"), "asia"),
    **dict.fromkeys(_words("GH KE NG ZA"), "africa"),
    **dict.fromkeys(_words("AU FJ GU NZ"), "oceania"),
}


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on the mean sphere (km), degrees in."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)  # fmt: skip
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def country_of(name: str, lat: float, lon: float) -> str:
    """ISO 3166 code from a starlink-viz name such as ``Adelanto, CA`` or ``Akita, Japan``."""
    if name == "Westbury NY":
        return "US"
    suffix = name.rsplit(", ", 1)[-1]
    if suffix == "NL":  # Newfoundland and Labrador, or the Netherlands
        return "CA" if lon < -40 else "NL"
    if suffix in CANADIAN_PROVINCES:
        return "CA"
    if suffix in US_STATES:
        return "US"
    if suffix in COUNTRY_NAMES:
        return COUNTRY_NAMES[suffix]
    raise ValueError(f"no country for {name!r}")


def zone_of(country: str) -> str:
    if country in EU_MEMBERS:
        return "EU"
    return "US" if country in US_TERRITORIES else country


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _ids(names: list[str], prefix: str) -> list[str]:
    """``prefix-city``; ``prefix-city-suffix`` where two places share a city name."""
    cities = [n.split(",")[0] if "," in n else n.rsplit(" ", 1)[0] for n in names]
    counts = Counter(cities)
    return [
        f"{prefix}-{slug(city)}" if counts[city] == 1 else f"{prefix}-{slug(name)}"
        for city, name in zip(cities, names, strict=True)
    ]


def _starperf(path: Path, tag: str) -> list[dict[str, str]]:
    return [{child.tag: (child.text or "").strip() for child in item}
            for item in ET.parse(path).getroot() if item.tag.startswith(tag)]  # fmt: skip


def _pops(stations: list[dict[str, Any]], starperf: list[dict[str, str]]) -> list[dict[str, Any]]:
    rows = sorted((s for s in stations if s["type"] == "pop"), key=lambda s: s["name"])
    ids = _ids([r["name"] for r in rows], "pop")
    codes: dict[str, str] = {}  # each StarPerf code goes to its nearest PoP only
    for item in starperf:
        lat, lon = float(item["Latitude"]), float(item["Longitude"])
        distance, pid = min((great_circle_km(lat, lon, float(r["lat"]), float(r["lon"])), i)
                            for i, r in zip(ids, rows, strict=True))  # fmt: skip
        if distance <= MATCH_POP_KM:
            codes[pid] = item["Name"].split(" - ")[-1]
    for item in starperf:  # in StarPerf's 2024 list (so in service) but not starlink-viz's
        code = item["Name"].split(" - ")[-1]
        if code not in codes.values():
            city, country = STARPERF_ONLY_POPS[code]
            rows.append({"name": f"{city}, {country}", "lat": item["Latitude"],
                         "lon": item["Longitude"], "status": "operational"})  # fmt: skip
            ids.append(f"pop-{slug(city)}")
            codes[ids[-1]] = code
    starperf_ids = {f"pop-{slug(city)}" for city, _ in STARPERF_ONLY_POPS.values()}
    out = []
    for pid, row in sorted(zip(ids, rows, strict=True), key=lambda pair: pair[0]):
        lat, lon = float(row["lat"]), float(row["lon"])
        country = row["name"].rsplit(", ", 1)[-1] if pid in starperf_ids else country_of(
            row["name"], lat, lon)  # fmt: skip
        if pid in codes:
            code, source = codes[pid], "starperf"
        else:
            city = slug(row["name"].split(",")[0]).replace("-", "")
            code, source = city[:6].upper() + country, "derived"
        out.append({
            "id": pid, "code": code, "code_source": source, "name": row["name"],
            "country": country, "lat": round(lat, 6), "lon": round(lon, 6),
            "status": row["status"], "residency_zone": zone_of(country),
            "continent": CONTINENT[country],
        })  # fmt: skip
    return out


def _pop_regions(pop: dict[str, Any], regions: list[dict[str, Any]]) -> list[str]:
    """The modelled interconnect: the :data:`REGIONS_PER_PROVIDER` nearest regions of each
    cloud provider on the PoP's continent (a metro PoP peers with the clouds' on-ramps
    near it), nearest first."""
    same = [r for r in regions if CONTINENT[r["country"]] == pop["continent"]]
    same.sort(key=lambda r: (great_circle_km(pop["lat"], pop["lon"], r["lat"], r["lon"]), r["id"]))
    chosen, per_provider = [], Counter[str]()
    for region in same:
        if per_provider[region["provider"]] < REGIONS_PER_PROVIDER:
            per_provider[region["provider"]] += 1
            chosen.append(str(region["id"]))
    return chosen


def _home(lat: float, lon: float, continent: str, pops: list[dict[str, Any]]) -> str:
    live = [p for p in pops if p["status"] == "operational"]
    same = [p for p in live if p["continent"] == continent] or live
    return str(
        min(same, key=lambda p: (great_circle_km(lat, lon, p["lat"], p["lon"]), p["id"]))["id"]
    )


def _gateways(stations: list[dict[str, Any]], starperf: list[dict[str, str]],
              pops: list[dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    rows = sorted((s for s in stations if s["type"] == "gateway"), key=lambda s: s["name"])
    out = []
    for gid, row in zip(_ids([r["name"] for r in rows], "gw"), rows, strict=True):
        lat, lon = float(row["lat"]), float(row["lon"])
        country = country_of(row["name"], lat, lon)
        near = min(starperf, key=lambda g: great_circle_km(
            lat, lon, float(g["Latitude"]), float(g["Longitude"])))  # fmt: skip
        distance = great_circle_km(lat, lon, float(near["Latitude"]), float(near["Longitude"]))
        if distance <= MATCH_GATEWAY_KM:
            antennas, source = int(near["Antenna_Count"]), "starperf"
        else:
            antennas, source = ASSUMED_ANTENNAS, "assumed"
        continent = CONTINENT[country]
        out.append({
            "id": gid, "name": row["name"], "country": country,
            "lat": round(lat, 6), "lon": round(lon, 6), "alt_m": 0.0,
            "status": row["status"], "antennas": antennas, "antennas_source": source,
            "min_elevation_deg": GATEWAY_MASK_DEG, "residency_zone": zone_of(country),
            "continent": continent, "pop_id": _home(lat, lon, continent, pops),
        })  # fmt: skip
    return out


NOTE = (
    "The public Starlink ground network as opsconsole's default catalog, converted by "
    "packaging/convert_ground_network.py. Positions and status: starlink-viz "
    "(github.com/juliensimon/starlink-viz, data/ground-stations.json, commit 434f8ef, list "
    "dated 2026-03-20; MIT, Copyright (c) 2026 Julien Simon), gathered from FCC and "
    "international filings, good to about a kilometre; not official SpaceX data. Antenna "
    "counts and PoP codes: StarPerf (github.com/SpaceNetLab/StarPerf_Simulator, "
    "config/ground_stations/Starlink.xml and config/POPs/Starlink.xml, commit 004ac9e, "
    "2024-10-22; BSD-2-Clause). MODELLED, not public: antenna counts marked 'assumed' "
    "(StarPerf has no match within 15 km), every capacity (antennas x a per-antenna "
    "figure), each gateway's home PoP (nearest operational PoP on its continent), the "
    "regions each PoP interconnects with (the two nearest of each cloud provider on its "
    "continent), PoP codes "
    "marked 'derived', and residency zones (EU for EU member states, US for US "
    "territories, otherwise the ISO 3166 country code)."
)


def convert(source: Path, regions_file: Path) -> dict[str, Any]:
    stations = json.loads((source / "starlink-viz-ground-stations.json").read_text("utf-8"))
    regions = json.loads(regions_file.read_text("utf-8"))["regions"]
    sp_pops = _starperf(source / "starperf-pops.xml", "POP")
    sp_gateways = _starperf(source / "starperf-ground-stations.xml", "GS")
    pops = _pops(stations["stations"], sp_pops)
    for pop in pops:
        pop["regions"] = _pop_regions(pop, regions)
    gateways = _gateways(stations["stations"], sp_gateways, pops)
    return {"_note": NOTE, "source_list_date": stations["lastUpdated"][:10],
            "pops": pops, "gateways": gateways}  # fmt: skip


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    catalog = convert(Path(argv[0]), REPO / "resources" / "cloud_regions.json")
    text = json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"
    partial = OUTPUT.with_suffix(".json.partial")
    partial.write_text(text, "utf-8")
    partial.replace(OUTPUT)
    counts = Counter((g["status"], g["antennas_source"]) for g in catalog["gateways"])
    print(
        f"{OUTPUT}: {len(catalog['pops'])} PoPs, {len(catalog['gateways'])} gateways {dict(counts)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
