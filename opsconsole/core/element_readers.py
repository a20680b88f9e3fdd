"""Read element sets from TLE text, CelesTrak OMM JSON or OMM CSV, detected automatically.

Every reader collects all problems (file, line or record, reason). With
``skip_invalid=False`` (the default) any problem raises
:class:`~opsconsole.core.input_errors.InputFileError` and nothing is returned; with
``skip_invalid=True`` the bad records are left out and listed in ``ElementSet.skipped``.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sgp4.api import Satrec

from opsconsole.core.bounded_input import load_json, read_bounded
from opsconsole.core.element_checks import (
    MAX_OMM_CATALOG_NUMBER,
    epoch_problem,
    satrec_problem,
    tle_day_problem,
    tle_field_problem,
)
from opsconsole.core.element_sets import (
    OMM_OPTIONAL_FIELDS,
    OMM_REQUIRED_FIELDS,
    ElementRecord,
    ElementSet,
    build_element_set,
    parse_omm_epoch,
)
from opsconsole.core.input_errors import InputFileError, InputIssue, csv_rows, decode_text
from opsconsole.core.tle_lines import decode_catalog_number, line_problem

_SGP4_INIT_ERRORS = {
    1: "mean elements out of range (eccentricity >= 1 or < -0.001, or semi-major axis < 0.95 "
    "Earth radii)",
    2: "mean motion is negative",
    3: "perturbed eccentricity out of range",
    4: "semi-latus rectum is negative",
    6: "orbit has decayed",
}


def _finish(
    records: list[ElementRecord], issues: list[InputIssue], source: str, skip_invalid: bool
) -> ElementSet:
    if issues and (not skip_invalid or not records):
        # a file where every record is bad is an error too
        raise InputFileError(issues, valid=len(records))
    if not records:
        raise InputFileError([InputIssue(source, "line", 0, "no element sets found in file")])
    return build_element_set(records, source, skipped=issues)


def tle_epoch(line1: str) -> datetime:
    """Epoch of a TLE (columns 19-32: 2-digit year, day of year with fraction) in UTC.

    Years 57-99 are 1957-1999, 00-56 are 2000-2056 (the NORAD convention).
    """
    year = int(line1[18:20])
    year += 1900 if year >= 57 else 2000
    day = float(line1[20:32])
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(microseconds=round((day - 1.0) * 864e8))


def _tle_problem(line1: str, line2: str, norad_id: int) -> str | None:
    """Why two well-formed TLE lines still cannot be used, or ``None``."""
    if norad_id == 0:
        return "catalog number 0 is not a satellite"
    problem = tle_day_problem(line1) or tle_field_problem(line1)
    if problem:
        return problem
    try:
        satrec = Satrec.twoline2rv(line1, line2)
    except (ValueError, OverflowError) as exc:
        return f"SGP4 cannot read it: {exc}"
    if satrec.error:
        return _SGP4_INIT_ERRORS.get(satrec.error, f"SGP4 error {satrec.error}")
    return satrec_problem(satrec) or epoch_problem(tle_epoch(line1))


def _is_element_line(text: str, number: str) -> bool:
    return text.startswith(number + " ") or text == number


def parse_tle_text(text: str, source: str, *, skip_invalid: bool = False) -> ElementSet:
    """Parse two-line or three-line element text (names optional, ``0 NAME`` allowed)."""
    # split on newlines only: str.splitlines() would also split on \x1c-\x1e, \x0b, \x0c
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [(number, raw.rstrip()) for number, raw in enumerate(raw_lines, start=1)]
    lines = [(number, line) for number, line in lines if line.strip()]
    records: list[ElementRecord] = []
    issues: list[InputIssue] = []
    name = ""
    name_line = 0
    index = 0
    while index < len(lines):
        number, line = lines[index]
        if _is_element_line(line, "1"):
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is None or not _is_element_line(following[1], "2"):
                issues.append(InputIssue(source, "line", number, "TLE line 1 without a line 2"))
                index += 1
                name, name_line = "", 0
                continue
            number2, line2 = following
            index += 2
            problem1 = line_problem(line, "1")
            problem2 = line_problem(line2, "2")
            if problem1:
                issues.append(InputIssue(source, "line", number, problem1))
            if problem2:
                issues.append(InputIssue(source, "line", number2, problem2))
            if problem1 or problem2:
                name, name_line = "", 0
                continue
            if line[2:7] != line2[2:7]:
                issues.append(
                    InputIssue(
                        source,
                        "line",
                        number2,
                        f"catalog number {line2[2:7].strip()!r} differs from line 1's "
                        f"{line[2:7].strip()!r}",
                    )
                )
                name, name_line = "", 0
                continue
            norad_id = decode_catalog_number(line[2:7])
            problem = _tle_problem(line, line2, norad_id)
            if problem:
                issues.append(InputIssue(source, "line", number, problem))
                name, name_line = "", 0
                continue
            records.append(
                ElementRecord(
                    norad_id=norad_id,
                    name=name or f"NORAD {norad_id}",
                    epoch=tle_epoch(line),
                    kind="tle",
                    line1=line,
                    line2=line2,
                    origin=name_line or number,
                )
            )
            name, name_line = "", 0
        elif _is_element_line(line, "2"):
            issues.append(InputIssue(source, "line", number, "TLE line 2 without a line 1"))
            index += 1
            name, name_line = "", 0
        else:
            if name:
                issues.append(
                    InputIssue(
                        source,
                        "line",
                        name_line,
                        f"name line {name!r} is not followed by TLE lines 1 and 2",
                    )
                )
            name = line[2:].strip() if line.startswith("0 ") else line.strip()
            name_line = number
            index += 1
    if name:
        issues.append(
            InputIssue(
                source, "line", name_line, f"name line {name!r} is not followed by TLE lines"
            )
        )
    return _finish(records, issues, source, skip_invalid)


def _omm_record(fields: dict[str, str], source: str, unit: str, number: int) -> ElementRecord:
    """Validate one OMM record (values as strings). Raises ``ValueError`` with the reason."""
    missing = [name for name in OMM_REQUIRED_FIELDS if not str(fields.get(name, "")).strip()]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    for name in (*OMM_REQUIRED_FIELDS[2:], "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"):
        text = fields.get(name, "") or "0"
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"non-numeric {name}: {text!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"non-finite {name}: {text!r}")
    text = str(fields["NORAD_CAT_ID"]).strip()
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"NORAD_CAT_ID must be a whole number, found {text!r}")
    norad_id = int(text)
    if not 1 <= norad_id <= MAX_OMM_CATALOG_NUMBER:
        raise ValueError(f"NORAD_CAT_ID must be 1 to {MAX_OMM_CATALOG_NUMBER:,}, found {text}")
    try:
        epoch = parse_omm_epoch(fields["EPOCH"])
    except ValueError as exc:
        if "not an ISO 8601" in str(exc):
            raise ValueError(f"EPOCH is not an ISO 8601 time: {fields['EPOCH']!r}") from None
        raise ValueError(f"EPOCH {fields['EPOCH']!r}: impossible date ({exc})") from None
    problem = epoch_problem(epoch)
    if problem:
        raise ValueError(problem)
    kept = {
        k: str(fields[k]).strip()
        for k in (*OMM_REQUIRED_FIELDS, *OMM_OPTIONAL_FIELDS)
        if k in fields and fields[k] is not None
    }
    record = ElementRecord(
        norad_id=norad_id,
        name=kept.get("OBJECT_NAME") or f"NORAD {norad_id}",
        epoch=epoch,
        kind="omm",
        omm=kept,
        origin=number,
    )
    satrec = record.satrec()
    if satrec.error:
        raise ValueError(_SGP4_INIT_ERRORS.get(satrec.error, f"SGP4 error {satrec.error}"))
    problem = satrec_problem(satrec)
    if problem:
        raise ValueError(problem)
    return record


def _as_text(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_omm_json(text: str, source: str, *, skip_invalid: bool = False) -> ElementSet:
    """Parse CelesTrak GP data in OMM JSON form (a list of objects, or one object)."""
    payload = load_json(text, source)
    items = payload if isinstance(payload, list) else [payload]
    records: list[ElementRecord] = []
    issues: list[InputIssue] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            issues.append(InputIssue(source, "record", number, "record is not a JSON object"))
            continue
        fields = {str(key): _as_text(value) for key, value in item.items()}
        try:
            records.append(_omm_record(fields, source, "record", number))
        except ValueError as exc:
            issues.append(InputIssue(source, "record", number, str(exc)))
    return _finish(records, issues, source, skip_invalid)


def parse_omm_csv(text: str, source: str, *, skip_invalid: bool = False) -> ElementSet:
    """Parse OMM CSV (header row of OMM field names). Rows are numbered as file lines."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputFileError([InputIssue(source, "line", 1, f"unreadable CSV: {exc}")]) from None
    absent = [name for name in OMM_REQUIRED_FIELDS if name not in header]
    if absent:
        raise InputFileError(
            [InputIssue(source, "line", 1, f"CSV header lacks column(s): {', '.join(absent)}")]
        )
    records: list[ElementRecord] = []
    issues: list[InputIssue] = []
    for row in csv_rows(reader, source, "line"):
        number = reader.line_num
        if None in row:
            issues.append(InputIssue(source, "line", number, "more values than header columns"))
            continue
        fields = {key: (value or "") for key, value in row.items()}
        try:
            records.append(_omm_record(fields, source, "line", number))
        except ValueError as exc:
            issues.append(InputIssue(source, "line", number, str(exc)))
    return _finish(records, issues, source, skip_invalid)


def detect_format(text: str) -> str:
    """Return ``"omm-json"``, ``"omm-csv"`` or ``"tle"`` from the start of ``text``."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "omm-json"
    first_line = stripped.split("\n", 1)[0]
    if "," in first_line and "NORAD_CAT_ID" in first_line.upper():
        return "omm-csv"
    return "tle"


def parse_elements(data: bytes, source: str, *, skip_invalid: bool = False) -> ElementSet:
    """Decode and parse element data of any supported format."""
    text = decode_text(data, source)
    if not text.strip():
        raise InputFileError([InputIssue(source, "line", 0, "file is empty")])
    kind = detect_format(text)
    if kind == "omm-json":
        return parse_omm_json(text, source, skip_invalid=skip_invalid)
    if kind == "omm-csv":
        return parse_omm_csv(text, source, skip_invalid=skip_invalid)
    return parse_tle_text(text, source, skip_invalid=skip_invalid)


def read_elements(path: str | Path, *, skip_invalid: bool = False) -> ElementSet:
    """Read an element file. Unreadable files raise ``InputFileError`` naming the file."""
    return parse_elements(read_bounded(path), str(path), skip_invalid=skip_invalid)
