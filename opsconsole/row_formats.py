"""Writing command results as CSV, JSON or an aligned text table."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Text cells starting with one of these would be run as a formula by a spreadsheet
(CSV injection): they are written with a leading apostrophe. Numbers are never
touched, so ``-23.5`` stays a number."""


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_rows(
    rows: Iterable[Sequence[Any]], columns: Sequence[str], fmt: str, out: TextIO | None = None
) -> None:
    """Write ``rows`` under ``columns`` as ``csv``, ``json`` (a list of objects) or ``table``.

    CSV floats are written with 6 decimals (mm for km, ~0.1 m for degrees).
    """
    out = out or sys.stdout
    if fmt == "json":
        records = [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        json.dump(records, out, indent=1, ensure_ascii=False, allow_nan=False)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
    else:
        text = [[("" if _plain(v) is None else str(v)) for v in row] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in text]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
        out.write("\n")
        for row_text in text:
            line = "  ".join(v.ljust(w) for v, w in zip(row_text, widths, strict=True))
            out.write(line.rstrip() + "\n")


def json_safe(value: Any) -> Any:
    """``value`` with every float that is not finite (NaN, inf) replaced by ``None``,
    through dicts, lists and tuples: JSON has no NaN, and a bare ``NaN`` breaks strict
    readers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def json_text(value: Any, **options: Any) -> str:
    """Strict JSON text of ``value`` (non-finite floats written as ``null``)."""
    return json.dumps(json_safe(value), allow_nan=False, **options)
