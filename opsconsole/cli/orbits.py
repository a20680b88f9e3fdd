"""Commands over the orbital core: propagate, passes, and element sets."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.cli.support import (
    CommandError,
    iso,
    open_store,
    report_skipped,
    warn_element_age,
)
from opsconsole.core.element_sets import ElementSet, age_status
from opsconsole.row_formats import write_rows


def _load_elements(args: argparse.Namespace) -> ElementSet:
    if args.elements:
        from opsconsole.core.element_readers import read_elements

        elements = read_elements(args.elements, skip_invalid=args.skip_invalid)
        report_skipped(elements.skipped, "record(s)")
        return elements
    from opsconsole.store.element_repository import load_element_set

    with open_store(args, may_create=False) as store:
        return load_element_set(store)


def _warn_age(elements: ElementSet, at: datetime) -> None:
    warn_element_age(elements.median_epoch(), elements.source, elements.synthetic, at)


def _warn_failed(elements: ElementSet, failed: NDArray[np.bool_]) -> None:
    bad = np.flatnonzero(failed)
    if bad.size:
        ids = ", ".join(str(elements.norad_ids[i]) for i in bad[:20])
        more = f" and {bad.size - 20} more" if bad.size > 20 else ""
        print(
            f"warning: SGP4 failed for {bad.size} satellite(s) (decayed or invalid): "
            f"{ids}{more}; their rows have empty positions",
            file=sys.stderr,
        )


MAX_LOST_SHARE = 0.10
"""``elements refresh`` refuses (without ``--force``) a download that lacks more than
this share of the active set's satellites."""


def cmd_propagate(args: argparse.Namespace) -> int:
    from opsconsole.core.propagation import propagate
    from opsconsole.core.timescale import time_at

    at = args.at
    elements = _load_elements(args)
    _warn_age(elements, at)
    eph = propagate(elements, time_at(at), velocities=False)
    lat, lon, alt = eph.geodetic()
    _warn_failed(elements, eph.failed)
    pos = eph.position_km[:, 0]
    rows: list[tuple[object, ...]] = []
    for i, record in enumerate(elements.records):
        if eph.failed[i]:
            rows.append((record.norad_id, record.name, None, None, None, None, None, None))
            continue
        rows.append(
            (
                record.norad_id,
                record.name,
                round(float(pos[i, 0]), 6),
                round(float(pos[i, 1]), 6),
                round(float(pos[i, 2]), 6),
                round(float(lat[i, 0]), 6),
                round(float(lon[i, 0]), 6),
                round(float(alt[i, 0]), 6),
            )
        )
    write_rows(
        rows,
        ("norad_id", "name", "x_km", "y_km", "z_km", "lat_deg", "lon_deg", "alt_km"),
        args.format,
    )
    return 0


def _parse_site(text: str) -> tuple[float, float, float]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (2, 3):
        raise CommandError(f"--site must be LAT,LON[,ALT_M], got {text!r}")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        alt = float(parts[2]) if len(parts) == 3 else 0.0
    except ValueError:
        raise CommandError(f"--site must be numbers LAT,LON[,ALT_M], got {text!r}") from None
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise CommandError(
            f"--site {text!r}: latitude must be in [-90, 90] and longitude in [-180, 180]"
        )
    return lat, lon, alt


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _stored_site(args: argparse.Namespace, text: str) -> tuple[Any, float, float, float]:
    """A stored site by name (``SITE`` or ``CUSTOMER/SITE``, any case): its
    :class:`Horizons` (its own mask, else ``--min-elevation``, and profile) and place."""
    from opsconsole.core.horizon import HorizonProfile, Horizons
    from opsconsole.store.catalog_edits import site_rows

    with open_store(args, may_create=False) as store:
        rows = site_rows(store)
    wanted = text.strip().casefold()
    hits = [
        r for r in rows
        if wanted in (str(r["name"]).casefold(), f"{r['customer']}/{r['name']}".casefold())
    ]  # fmt: skip
    if not hits:
        raise CommandError(
            f"--site {text!r}: not LAT,LON[,ALT_M] and no stored site of that name "
            "(opsconsole sites list shows them; CUSTOMER/SITE tells same-named sites apart)"
        )
    if len(hits) > 1:
        names = ", ".join(f"{r['customer']}/{r['name']}" for r in hits)
        raise CommandError(f"--site {text!r} names {len(hits)} sites: {names}")
    row = hits[0]
    mask = row["min_elevation_deg"] if args.min_elevation is None else args.min_elevation
    try:
        profile = HorizonProfile.parse(str(row["horizon"] or ""))
    except ValueError as exc:
        raise CommandError(f"site {row['customer']}/{row['name']}: horizon: {exc}") from None
    default = 25.0 if mask is None else float(mask)
    horizons = Horizons.of([default], [profile])
    return horizons, float(row["lat"]), float(row["lon"]), float(row["alt_m"] or 0.0)


def cmd_passes(args: argparse.Namespace) -> int:
    from opsconsole.core.look_angles import Sites
    from opsconsole.core.pass_chunks import find_passes_in_chunks

    mask: Any = 25.0 if args.min_elevation is None else args.min_elevation
    if not _looks_numeric(args.site.split(",")[0]):
        mask, lat, lon, alt_m = _stored_site(args, args.site)
    else:
        lat, lon, alt_m = _parse_site(args.site)
    start = args.start
    elements = _load_elements(args)
    _warn_age(elements, start)
    sites = Sites.from_geodetic([lat], [lon], [alt_m / 1000.0])
    found = find_passes_in_chunks(
        elements,
        sites,
        start,
        args.hours * 3600.0,
        min_elevation_deg=mask,
        workers=None,  # share large windows between processes (the CLI has a __main__ guard)
    )
    rows = []
    order = np.lexsort((elements.norad_ids[found.satellite], np.nan_to_num(found.rise_s, nan=-1.0)))
    for k in order:
        record = elements.records[int(found.satellite[k])]
        rows.append(
            (
                record.norad_id,
                record.name,
                iso(found.utc(found.rise_s[k])),
                iso(found.utc(found.culmination_s[k])),
                round(float(found.max_elevation_deg[k]), 3),
                iso(found.utc(found.set_s[k])),
            )
        )
    write_rows(
        rows,
        ("norad_id", "name", "rise_utc", "culmination_utc", "max_elevation_deg", "set_utc"),
        args.format,
    )
    return 0


def cmd_elements_import(args: argparse.Namespace) -> int:
    from opsconsole.core.element_readers import read_elements
    from opsconsole.store.element_repository import import_element_set

    elements = read_elements(args.file, skip_invalid=args.skip_invalid)
    with open_store(args, may_create=True) as store:
        set_id = import_element_set(
            store, elements, args.name or Path(args.file).name, activate=not args.no_activate
        )
    report_skipped(elements.skipped, "record(s)")
    print(
        f"imported element set {set_id}: {len(elements)} satellites from {args.file}"
        f" ({elements.duplicates_replaced} older duplicate(s) dropped, "
        f"{len(elements.skipped)} skipped)"
    )
    return 0


def cmd_elements_list(args: argparse.Namespace) -> int:
    from opsconsole.store.element_repository import list_element_sets

    now = datetime.now(UTC)
    with open_store(args, may_create=False) as store:
        rows = []
        for info in list_element_sets(store):
            age = (now - info.epoch_max) / timedelta(days=1) if info.epoch_max else None
            rows.append(
                (
                    info.id,
                    "*" if info.active else "",
                    info.name,
                    info.satellite_count,
                    "yes" if info.synthetic else "no",
                    iso(info.epoch_max),
                    None if age is None else round(age, 2),
                    None if age is None else age_status(age),
                    info.source,
                )
            )
    write_rows(
        rows,
        (
            "id",
            "active",
            "name",
            "satellites",
            "synthetic",
            "newest_epoch_utc",
            "age_days",
            "age_status",
            "source",
        ),
        args.format,
    )
    return 0


def cmd_elements_activate(args: argparse.Namespace) -> int:
    from opsconsole.store.element_repository import activate_element_set

    with open_store(args, may_create=False) as store:
        try:
            activate_element_set(store, args.id)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
    print(f"element set {args.id} is now active")
    return 0


def cmd_elements_refresh(args: argparse.Namespace) -> int:
    """Fetch a CelesTrak group and store it as the active set: all or nothing unless
    ``--skip-invalid``; a set that would lose more than :data:`MAX_LOST_SHARE` of the
    active set's satellites is refused unless ``--force``."""
    import platformdirs

    from opsconsole.core.celestrak import refresh_group
    from opsconsole.store.element_repository import import_element_set, lost_from_active

    cache = Path(args.cache_dir or platformdirs.user_cache_dir("opsconsole", appauthor=False))
    result = refresh_group(
        args.group,
        cache,
        url_template=args.url,
        timeout_s=args.timeout,
        max_age_s=args.max_age_hours * 3600.0,
        skip_invalid=args.skip_invalid,
    )
    with open_store(args, may_create=True) as store:
        lost, before = lost_from_active(store, result.elements.norad_ids)
        if before and lost / before > MAX_LOST_SHARE and not args.force:
            raise CommandError(
                f"the download lacks {lost:,} of the active set's {before:,} satellites "
                f"({100 * lost / before:.0f} %, more than {100 * MAX_LOST_SHARE:.0f} %); "
                "nothing was written. Check the group and the download, or give --force "
                "to store and activate it anyway"
            )
        set_id = import_element_set(store, result.elements, f"CelesTrak GP {args.group}")
    report_skipped(result.elements.skipped, "record(s)")
    print(f"imported element set {set_id}: {len(result.elements)} satellites ({result.note})")
    return 0
