"""Read customer sites from CSV or GeoJSON, validating every row.

CSV: columns ``name,lat,lon`` required; ``alt_m,demand_mbps,max_rtt_ms,
min_availability_pct,residency,priority,min_elevation_deg,horizon`` optional. Residency
zones are separated by ``;`` or ``|`` (e.g. ``EU;GB``). ``min_elevation_deg`` is the
terminal's own mask (-5 to 90 deg; empty: the plan's default) and ``horizon`` a horizon
profile ``az:el;az:el;...`` (``core.horizon``; in GeoJSON also a list of
``[az, el]`` pairs). Rows are numbered as in a spreadsheet (the header is
row 1). GeoJSON: a FeatureCollection of Point features (``[lon, lat(, alt_m)]``) with
the same properties; features are numbered from 1.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsconsole.core.bounded_input import load_json, read_bounded
from opsconsole.core.catalog import SiteSpec, residency_zones
from opsconsole.core.horizon import HorizonProfile, check_mask
from opsconsole.core.input_errors import (
    InputFileError,
    InputIssue,
    csv_rows,
    decode_text,
    name_problem,
)

REQUIRED_COLUMNS = ("name", "lat", "lon")
OPTIONAL_COLUMNS = (
    "alt_m",
    "demand_mbps",
    "max_rtt_ms",
    "min_availability_pct",
    "residency",
    "priority",
    "min_elevation_deg",
    "horizon",
)


MAX_DEMAND_MBPS = 100_000.0
"""Largest demand one site may ask for (100 Gbps: several enterprise terminals)."""
MIN_ALT_M, MAX_ALT_M = -500.0, 9_000.0
"""Site altitudes accepted (m above the WGS84 ellipsoid): the Dead Sea shore to Everest."""


@dataclass(frozen=True)
class SiteFile:
    """Valid sites read from a file, and the issues of rows that were skipped."""

    source: str
    sites: tuple[SiteSpec, ...]
    skipped: tuple[InputIssue, ...]


def _number(props: Mapping[str, Any], key: str, default: float) -> float:
    raw = props.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    if isinstance(raw, bool) or (isinstance(raw, str) and "_" in raw):
        raise ValueError(f"{key} is not a number: {raw!r}")  # float() reads "1_000"
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{key} is not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{key} is not finite: {raw!r}")
    return value


def _zones(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        parts = raw.replace("|", ";").replace(",", ";").split(";")
    elif isinstance(raw, list):
        parts = [str(item) for item in raw]
    else:
        raise ValueError(f"residency must be text or a list, found {raw!r}")
    return tuple(part.strip().upper() for part in parts if part.strip())


def _horizon_text(raw: Any) -> str:
    """A horizon profile's normal text from ``az:el;...`` text or ``[[az, el], ...]``;
    ``ValueError`` says what is wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    if isinstance(raw, list):
        points = []
        for n, point in enumerate(raw, start=1):
            if not (isinstance(point, list) and len(point) == 2
                    and all(isinstance(v, int | float) and not isinstance(v, bool)
                            for v in point)):  # fmt: skip
                raise ValueError(f"horizon point {n} {point!r} is not [azimuth, elevation]")
            points.append(f"{point[0]}:{point[1]}")
        raw = ";".join(points)
    if not isinstance(raw, str):
        raise ValueError(f"horizon must be az:el;... text or a list of pairs, found {raw!r}")
    profile = HorizonProfile.parse(raw)
    return "" if profile is None else profile.to_text()


def horizon_problems(mask: Any, horizon: Any) -> list[str]:
    """Why a site's ``min_elevation_deg`` and ``horizon`` values cannot be used."""
    reasons = []
    if mask is not None and not (isinstance(mask, str) and not mask.strip()):
        try:
            value = _number({"min_elevation_deg": mask}, "min_elevation_deg", 25.0)
            problem = check_mask(value)
            if problem:
                reasons.append(problem)
        except ValueError as exc:
            reasons.append(str(exc))
    try:
        _horizon_text(horizon)
    except ValueError as exc:
        reasons.append(str(exc))
    return reasons


def validate_site(props: Mapping[str, Any], lat: Any, lon: Any, alt: Any = None) -> SiteSpec:
    """Build a :class:`SiteSpec` from raw values or raise ``ValueError`` with every reason."""
    reasons: list[str] = []
    raw_name = props.get("name")
    name = raw_name.strip() if isinstance(raw_name, str) else ""
    if raw_name is not None and not isinstance(raw_name, str):
        reasons.append(f"name must be text, found {raw_name!r}")
    elif not name:
        reasons.append("missing name")
    elif problem := name_problem(name):
        reasons.append(problem)
    values: dict[str, float] = {}
    for key, raw, default in (
        ("lat", lat, math.nan),
        ("lon", lon, math.nan),
        ("alt_m", alt if alt is not None else props.get("alt_m"), 0.0),
    ):
        try:
            values[key] = _number({key: raw}, key, default)
        except ValueError as exc:
            reasons.append(str(exc))
    if "lat" in values and (math.isnan(values["lat"]) or not -90 <= values["lat"] <= 90):
        reasons.append(
            f"latitude {lat!r} outside [-90, 90]" if lat not in (None, "") else "missing lat"
        )
    if "lon" in values and (math.isnan(values["lon"]) or not -180 <= values["lon"] <= 180):
        reasons.append(
            f"longitude {lon!r} outside [-180, 180]" if lon not in (None, "") else "missing lon"
        )
    spec_numbers: dict[str, float] = {}
    for key, default in (
        ("demand_mbps", 50.0),
        ("max_rtt_ms", 100.0),
        ("min_availability_pct", 99.0),
        ("priority", 2.0),
    ):
        try:
            spec_numbers[key] = _number(props, key, default)
        except ValueError as exc:
            reasons.append(str(exc))
    if spec_numbers.get("demand_mbps", 0.0) < 0:
        reasons.append(f"negative demand_mbps: {props.get('demand_mbps')!r}")
    elif spec_numbers.get("demand_mbps", 0.0) > MAX_DEMAND_MBPS:
        reasons.append(f"demand_mbps above {MAX_DEMAND_MBPS:,} Mbps: {props.get('demand_mbps')!r}")
    if not MIN_ALT_M <= values.get("alt_m", 0.0) <= MAX_ALT_M:
        reasons.append(f"alt_m outside [{MIN_ALT_M:g}, {MAX_ALT_M:,g}] m: {values['alt_m']:g}")
    if spec_numbers.get("max_rtt_ms", 1.0) <= 0:
        reasons.append(f"max_rtt_ms must be positive: {props.get('max_rtt_ms')!r}")
    if not 0 <= spec_numbers.get("min_availability_pct", 99.0) <= 100:
        reasons.append(
            f"min_availability_pct outside [0, 100]: {props.get('min_availability_pct')!r}"
        )
    priority = spec_numbers.get("priority", 2.0)
    if priority != int(priority) or not 1 <= priority <= 5:
        reasons.append(f"priority must be a whole number 1-5: {props.get('priority')!r}")
    zones: tuple[str, ...] = ()
    try:
        zones = _zones(props.get("residency"))
    except ValueError as exc:
        reasons.append(str(exc))
    unknown = [zone for zone in zones if zone not in residency_zones()]
    if unknown:
        reasons.append(f"unknown residency zone(s): {', '.join(unknown)}")
    raw_mask, raw_horizon = props.get("min_elevation_deg"), props.get("horizon")
    reasons += horizon_problems(raw_mask, raw_horizon)
    if reasons:
        raise ValueError("; ".join(reasons))
    mask = None
    if raw_mask is not None and not (isinstance(raw_mask, str) and not raw_mask.strip()):
        mask = _number(props, "min_elevation_deg", 25.0)
    return SiteSpec(
        name=name,
        lat=values["lat"],
        lon=values["lon"],
        alt_m=values["alt_m"],
        demand_mbps=spec_numbers["demand_mbps"],
        max_rtt_ms=spec_numbers["max_rtt_ms"],
        min_availability_pct=spec_numbers["min_availability_pct"],
        residency=zones,
        priority=int(priority),
        min_elevation_deg=mask,
        horizon=_horizon_text(raw_horizon),
    )


def _collect(
    rows: Iterable[tuple[int, Mapping[str, Any], Any, Any, Any]],
    source: str,
    unit: str,
    skip_invalid: bool,
    existing_names: frozenset[str],
) -> SiteFile:
    sites: list[SiteSpec] = []
    issues: list[InputIssue] = []
    seen: dict[str, int] = {}
    for number, props, lat, lon, alt in rows:
        if "_error" in props:
            issues.append(InputIssue(source, unit, number, str(props["_error"])))
            continue
        try:
            site = validate_site(props, lat, lon, alt)
        except ValueError as exc:
            issues.append(InputIssue(source, unit, number, str(exc)))
            continue
        key = site.name.casefold()
        if key in seen:
            issues.append(
                InputIssue(
                    source,
                    unit,
                    number,
                    f"duplicate name {site.name!r} (first at {unit} {seen[key]})",
                )
            )
            continue
        if key in existing_names:
            issues.append(
                InputIssue(
                    source,
                    unit,
                    number,
                    f"duplicate name {site.name!r}: the customer has it already",
                )
            )
            continue
        seen[key] = number
        sites.append(site)
    if issues and (not skip_invalid or not sites):
        raise InputFileError(issues, valid=len(sites))  # every row bad is an error too
    if not sites:
        raise InputFileError([InputIssue(source, unit, 0, "no sites found in file")])
    return SiteFile(source, tuple(sites), tuple(issues))


def parse_sites_csv(
    text: str,
    source: str,
    *,
    skip_invalid: bool = False,
    existing_names: frozenset[str] = frozenset(),
) -> SiteFile:
    """Parse a site CSV (see module docstring)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InputFileError([InputIssue(source, "row", 1, f"unreadable CSV: {exc}")]) from None
    twice = sorted({column for column in header if header.count(column) > 1})
    if twice:
        raise InputFileError(
            [InputIssue(source, "row", 1, f"duplicated column(s): {', '.join(twice)}")]
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {', '.join(unknown)}")
        raise InputFileError([InputIssue(source, "row", 1, "; ".join(parts))])
    reader.fieldnames = header

    def rows() -> Iterable[tuple[int, Mapping[str, Any], Any, Any, Any]]:
        for row in csv_rows(reader, source, "row"):
            if None in row:
                yield reader.line_num, {"_error": "more values than header columns"}, 0, 0, 0
                continue
            if not any((value or "").strip() for value in row.values()):
                continue
            yield reader.line_num, row, row.get("lat"), row.get("lon"), None

    return _collect(rows(), source, "row", skip_invalid, existing_names)


def parse_sites_geojson(
    text: str,
    source: str,
    *,
    skip_invalid: bool = False,
    existing_names: frozenset[str] = frozenset(),
) -> SiteFile:
    """Parse a GeoJSON FeatureCollection of Point features."""
    payload = load_json(text, source)
    features = payload.get("features") if isinstance(payload, dict) else None
    if not isinstance(features, list):
        raise InputFileError(
            [
                InputIssue(
                    source, "feature", 0, "not a GeoJSON FeatureCollection (no 'features' list)"
                )
            ]
        )

    def rows() -> Iterable[tuple[int, Mapping[str, Any], Any, Any, Any]]:
        for number, feature in enumerate(features, start=1):
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                not isinstance(geometry, dict)
                or geometry.get("type") != "Point"
                or not (isinstance(coords, list) and 2 <= len(coords) <= 3)
            ):
                yield (
                    number,
                    {"_error": "geometry must be a Point with [lon, lat(, alt_m)]"},
                    0,
                    0,
                    0,
                )
                continue
            props = feature.get("properties") or {}
            if not isinstance(props, dict):
                yield number, {"_error": "properties is not an object"}, 0, 0, 0
                continue
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in coords):
                yield number, {"_error": f"coordinates must be numbers, found {coords!r}"}, 0, 0, 0
                continue
            alt = coords[2] if len(coords) == 3 else None
            yield number, props, coords[1], coords[0], alt

    return _collect(rows(), source, "feature", skip_invalid, existing_names)


def read_sites(
    path: str | Path, *, skip_invalid: bool = False, existing_names: frozenset[str] = frozenset()
) -> SiteFile:
    """Read a site file; ``.json``/``.geojson`` (or JSON content) is GeoJSON, else CSV."""
    source = str(path)
    data = read_bounded(path, unit="row")
    geojson = Path(path).suffix.lower() in {".json", ".geojson"} or data.lstrip().startswith(b"{")
    text = decode_text(data, source, "line" if geojson else "row")
    if not text.strip():
        raise InputFileError([InputIssue(source, "row", 0, "file is empty")])
    if geojson:
        return parse_sites_geojson(
            text, source, skip_invalid=skip_invalid, existing_names=existing_names
        )
    return parse_sites_csv(text, source, skip_invalid=skip_invalid, existing_names=existing_names)
