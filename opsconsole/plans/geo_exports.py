"""A stored plan for map tools: KML (Google Earth, QGIS) and CZML (Cesium).

Sites are points; every served interval is a line site -> gateway -> region that exists
only during the interval (KML ``TimeSpan``, CZML ``availability``), carrying the
schedule columns. Coordinates are longitude, latitude (degrees) and height (m).
"""

from __future__ import annotations

from typing import Any, TextIO
from xml.sax.saxutils import escape

from opsconsole.plans.reports import SCHEDULE_COLUMNS, schedule_rows
from opsconsole.row_formats import json_text
from opsconsole.store.plan_repository import StoredPlan

KML_NS = "http://www.opengis.net/kml/2.2"


def _paths(
    stored: StoredPlan, gateways: dict[str, Any], regions: dict[str, Any]
) -> list[tuple[dict[str, Any], list[tuple[float, float]]]]:
    served, _ = schedule_rows(stored)
    by_name = {(s["name"], s["customer"]): s for s in stored.sites}
    out = []
    for row in served:
        record = dict(zip(SCHEDULE_COLUMNS, row, strict=True))
        site = by_name[(record["site"], record["customer"])]
        g, r = gateways[record["gateway"]], regions[record["region"]]
        out.append(
            (
                record,
                [
                    (float(site["lon"]), float(site["lat"])),
                    (float(g["lon"]), float(g["lat"])),
                    (float(r["lon"]), float(r["lat"])),
                ],
            )
        )
    return out


def write_kml(
    stored: StoredPlan, gateways: dict[str, Any], regions: dict[str, Any], out: TextIO
) -> None:
    """The plan as a KML 2.2 document."""
    name = escape(stored.name)
    out.write(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{KML_NS}"><Document>'
        f"<name>{name}</name>\n"
    )
    for site in stored.sites:
        out.write(
            f"<Placemark><name>{escape(str(site['name']))}</name>"
            f"<description>{escape(str(site['customer']))}</description>"
            f"<Point><coordinates>{site['lon']},{site['lat']},0</coordinates></Point>"
            "</Placemark>\n"
        )
    for record, line in _paths(stored, gateways, regions):
        data = "".join(
            f'<Data name="{k}"><value>{escape(str(v))}</value></Data>' for k, v in record.items()
        )
        coords = " ".join(f"{lon},{lat},0" for lon, lat in line)
        out.write(
            f"<Placemark><name>{escape(str(record['site']))} via "
            f"{record['norad_id']}</name><TimeSpan><begin>{record['start_utc']}</begin>"
            f"<end>{record['end_utc']}</end></TimeSpan><ExtendedData>{data}"
            f"</ExtendedData><LineString><tessellate>1</tessellate><coordinates>{coords}"
            "</coordinates></LineString></Placemark>\n"
        )
    out.write("</Document></kml>\n")


def write_czml(
    stored: StoredPlan, gateways: dict[str, Any], regions: dict[str, Any], out: TextIO
) -> None:
    """The plan as a CZML document (a JSON list of packets)."""
    from datetime import timedelta

    start = stored.start.isoformat().replace("+00:00", "Z")
    end_time = stored.start + timedelta(seconds=stored.step_s * stored.slots)
    end = end_time.isoformat().replace("+00:00", "Z")
    packets: list[dict[str, Any]] = [
        {
            "id": "document",
            "name": stored.name,
            "version": "1.0",
            "clock": {"interval": f"{start}/{end}", "currentTime": start, "multiplier": 60},
        }
    ]
    for site in stored.sites:
        packets.append(
            {
                "id": f"site-{site['id']}",
                "name": str(site["name"]),
                "description": str(site["customer"]),
                "position": {"cartographicDegrees": [site["lon"], site["lat"], 0.0]},
                "point": {"pixelSize": 6},
            }
        )
    for number, (record, line) in enumerate(_paths(stored, gateways, regions)):
        flat = [value for lon, lat in line for value in (lon, lat, 0.0)]
        packets.append(
            {
                "id": f"interval-{number}",
                "name": f"{record['site']} via {record['norad_id']}",
                "availability": f"{record['start_utc']}/{record['end_utc']}",
                "properties": record,
                "polyline": {
                    "positions": {"cartographicDegrees": flat},
                    "width": 2,
                    "clampToGround": True,
                },
            }
        )
    out.write(json_text(packets))
    out.write("\n")


EXPORT_FORMATS = ("csv", "json", "geojson", "kml", "czml")


def write_plan(
    stored: StoredPlan, fmt: str, gateways: dict[str, Any], regions: dict[str, Any], out: TextIO
) -> None:
    """Write a plan in one of :data:`EXPORT_FORMATS` (CSV and JSON: the schedule rows)."""
    from opsconsole.plans.reports import write_geojson
    from opsconsole.row_formats import write_rows

    if fmt == "kml":
        write_kml(stored, gateways, regions, out)
    elif fmt == "czml":
        write_czml(stored, gateways, regions, out)
    elif fmt == "geojson":
        write_geojson(stored, gateways, regions, out)
    elif fmt in ("csv", "json"):
        write_rows(schedule_rows(stored)[0], SCHEDULE_COLUMNS, fmt, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(EXPORT_FORMATS)}")
