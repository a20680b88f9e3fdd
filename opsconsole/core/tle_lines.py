"""Two-line element (TLE) lines: checksums, Alpha-5 catalog numbers, validation, formatting.

The fixed-column layout is the NORAD one (columns are 1-based in the comments, 0-based in
code). Alpha-5 catalog numbers put a letter (A-Z without I and O) in column 3 for numbers
100,000 to 339,999: ``A0000`` is 100,000, ``Z9999`` is 339,999.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

TLE_LINE_LENGTH = 69
_ALPHA5_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
MAX_TLE_CATALOG_NUMBER = 339_999


_CHECKSUM_VALUES = bytes((c - 48) if 48 <= c <= 57 else 1 if c == 45 else 0 for c in range(256))
"""Byte -> its checksum value: a digit its value, ``-`` one, anything else nothing."""


def checksum(line: str) -> int:
    """Return the modulo-10 checksum of the first 68 columns of a TLE line (``-`` counts 1).
    (One C-level pass: 10,000 TLEs are read at start-up.)"""
    encoded = line[:68].encode("ascii", errors="replace")  # others count nothing, as "?"
    return sum(encoded.translate(_CHECKSUM_VALUES)) % 10


def decode_catalog_number(field: str) -> int:
    """Decode a 5-column catalog number field, plain or Alpha-5. Raises ``ValueError``."""
    text = field.strip()
    if not text:
        raise ValueError("catalog number is blank")
    head, tail = text[0], text[1:]
    if head.isdigit():
        if not text.isdigit():
            raise ValueError(f"catalog number {field!r} is not numeric")
        return int(text)
    letter_index = _ALPHA5_LETTERS.find(head.upper())
    if letter_index < 0 or len(text) != 5 or not tail.isdigit():
        raise ValueError(f"catalog number {field!r} is neither numeric nor Alpha-5")
    return (letter_index + 10) * 10_000 + int(tail)


def encode_catalog_number(number: int) -> str:
    """Encode a catalog number in 5 columns, using Alpha-5 above 99,999."""
    if not 0 <= number <= MAX_TLE_CATALOG_NUMBER:
        raise ValueError(f"catalog number {number} cannot be written in a TLE")
    if number < 100_000:
        return f"{number:05d}"
    return f"{_ALPHA5_LETTERS[number // 10_000 - 10]}{number % 10_000:04d}"


# (name, first column, last column) 0-based, end exclusive, for fields that must be numeric
_LINE1_NUMERIC = (("epoch", 18, 32), ("mean motion derivative", 33, 43))
_LINE2_NUMERIC = (
    ("inclination", 8, 16),
    ("right ascension of ascending node", 17, 25),
    ("argument of perigee", 34, 42),
    ("mean anomaly", 43, 51),
    ("mean motion", 52, 63),
)


def line_problem(line: str, expected_number: str) -> str | None:
    """Return why ``line`` is not a valid TLE line ``expected_number`` ("1" or "2"), or None."""
    if len(line) != TLE_LINE_LENGTH:
        return f"wrong length: {len(line)} characters, a TLE line has {TLE_LINE_LENGTH}"
    if not (line.isascii() and line.isprintable()):
        odd = next(c for c in line if not (c.isascii() and c.isprintable()))
        return f"non-printable or non-ASCII character {odd!r} at column {line.index(odd) + 1}"
    if line[0] != expected_number or line[1] != " ":
        return f"expected TLE line {expected_number}, found {line[:2]!r}"
    if not line[68].isdigit():
        return f"checksum column holds {line[68]!r}, not a digit"
    expected = checksum(line)
    if int(line[68]) != expected:
        return f"bad checksum: column 69 says {line[68]}, computed {expected}"
    try:
        decode_catalog_number(line[2:7])
    except ValueError as exc:
        return str(exc)
    fields = _LINE1_NUMERIC if expected_number == "1" else _LINE2_NUMERIC
    for name, start, stop in fields:
        text = line[start:stop].strip()
        try:
            value = float(text)
        except ValueError:
            return f"non-numeric {name} in columns {start + 1}-{stop}: {text!r}"
        if not math.isfinite(value):
            return f"non-finite {name} in columns {start + 1}-{stop}: {text!r}"
    if expected_number == "1":
        year, day = line[18:20], float(line[20:32])
        if not year.isdigit() or not 1.0 <= day < 367.0:
            return f"epoch out of range in columns 19-32: {line[18:32]!r}"
    if expected_number == "2":
        ecc = line[26:33]
        if not ecc.strip().isdigit():
            return f"non-numeric eccentricity in columns 27-33: {ecc!r}"
    return None


def _implied_exponent(value: float) -> str:
    """Format ``value`` in the TLE implied-decimal form ``±NNNNN±E`` (8 columns)."""
    if value == 0.0:
        return " 00000+0"
    sign = "-" if value < 0 else " "
    mantissa = abs(value)
    exponent = math.floor(math.log10(mantissa)) + 1
    digits = round(mantissa / 10.0**exponent * 100_000)
    if digits >= 100_000:
        digits //= 10
        exponent += 1
    if exponent < -9 or digits == 0:  # below what 5 digits and a 1-digit exponent can hold
        return " 00000+0"
    if exponent > 9:
        raise ValueError(f"{value!r} is too large for a TLE exponent field")
    exp_sign = "-" if exponent < 0 else "+"
    return f"{sign}{digits:05d}{exp_sign}{abs(exponent)}"


def epoch_field(year: int, day: float) -> str:
    """Line 1's epoch, columns 19-32: two-digit year and fractional day of year (1.0 is
    1 January 00:00 UTC), to 1e-8 day (0.9 ms)."""
    return f"{year % 100:02d}{day:012.8f}"


def with_epoch(line1: str, epoch: datetime) -> str:
    """``line1`` with its epoch replaced by ``epoch`` (UTC) and its checksum redone; the
    other fields are kept as they are."""
    utc = epoch.astimezone(UTC)
    day = 1.0 + (utc - datetime(utc.year, 1, 1, tzinfo=UTC)).total_seconds() / 86400.0
    line = f"{line1[:18]}{epoch_field(utc.year, day)}{line1[32:68]}"
    return line + str(checksum(line))


def format_tle(
    *,
    catalog_number: int,
    classification: str,
    international_designator: str,
    epoch_year: int,
    epoch_day: float,
    ndot_rev_per_day2: float,
    bstar_per_earth_radius: float,
    element_set_number: int,
    inclination_deg: float,
    raan_deg: float,
    eccentricity: float,
    arg_perigee_deg: float,
    mean_anomaly_deg: float,
    mean_motion_rev_per_day: float,
    revolution_number: int,
) -> tuple[str, str]:
    """Write one element set as two TLE lines with correct checksums.

    ``epoch_day`` is the fractional day of year (1.0 is 1 January 00:00 UTC). Angles in
    degrees, mean motion in revolutions per day, B* in 1/Earth radii.
    """
    if not 0.0 <= eccentricity < 1.0:
        raise ValueError(f"eccentricity {eccentricity!r} is outside [0, 1)")
    satnum = encode_catalog_number(catalog_number)
    ndot = ("-" if ndot_rev_per_day2 < 0 else " ") + f"{abs(ndot_rev_per_day2):.8f}"[1:]
    body1 = (
        f"1 {satnum}{classification[:1]} {international_designator:<8.8} "
        f"{epoch_field(epoch_year, epoch_day)} {ndot:>10} {' 00000+0'} "
        f"{_implied_exponent(bstar_per_earth_radius)} 0 {element_set_number % 10000:4d}"
    )
    ecc = f"{eccentricity:.7f}"[2:]
    body2 = (
        f"2 {satnum} {inclination_deg % 180.0 if inclination_deg != 180.0 else 180.0:8.4f} "
        f"{raan_deg % 360.0:8.4f} {ecc} {arg_perigee_deg % 360.0:8.4f} "
        f"{mean_anomaly_deg % 360.0:8.4f} {mean_motion_rev_per_day:11.8f}"
        f"{revolution_number % 100000:5d}"
    )
    return body1 + str(checksum(body1)), body2 + str(checksum(body2))
