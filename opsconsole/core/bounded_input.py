"""Reading input files within bounds: a size limit checked before (and while) reading,
so ``/dev/zero`` or a runaway file cannot fill memory, and a nesting limit for JSON, so
``[[[[...]]]]`` cannot exhaust the interpreter's stack. Errors are
:class:`~opsconsole.core.input_errors.InputFileError` naming the file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from opsconsole.core.input_errors import InputFileError, InputIssue

MAX_INPUT_BYTES = 256 * 2**20
"""Largest element or site file read (256 MiB; 10,000 satellites of OMM JSON are ~6 MB)."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a JSON or GeoJSON file."""


def _fail(source: str, reason: str, unit: str = "line", number: int = 0) -> InputFileError:
    return InputFileError([InputIssue(source, unit, number, reason)])


def read_bounded(path: str | Path, limit: int = MAX_INPUT_BYTES, unit: str = "line") -> bytes:
    """The bytes of ``path``, refused when it holds more than ``limit`` bytes (read at
    most ``limit + 1`` bytes: devices and pipes have no size to check first)."""
    source = str(path)
    target = Path(path)
    try:
        if target.is_dir():
            raise _fail(source, "is a folder, not a file", unit)
        size = target.stat().st_size
        if size > limit:
            raise _fail(source, f"file is {size:,} bytes, more than the {limit:,} allowed", unit)
        with target.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _fail(source, exc.strerror or str(exc), unit) from None
    if len(data) > limit:
        raise _fail(source, f"more than the {limit:,} bytes allowed (not a regular file?)", unit)
    return data


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _raw_depth(text: str) -> int:
    code = np.frombuffer(text.encode("utf-8", "replace"), dtype=np.uint8)
    return int(np.cumsum(_STEP[code], dtype=np.int32).max(initial=0))


def nesting_depth(text: str) -> int:
    """Deepest ``[``/``{`` nesting outside strings: a scan before parsing (the parser
    itself recurses), vectorized. Brackets inside strings are counted first (an upper
    bound, ~20 ms for 5 MB); only when that is too deep are strings taken out."""
    raw = _raw_depth(text)
    return raw if raw <= MAX_JSON_DEPTH else _raw_depth(_STRING.sub("", text))


_STEP = np.zeros(256, dtype=np.int8)
"""Byte -> +1 for an opening bracket, -1 for a closing one."""
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1


def load_json(text: str, source: str) -> Any:
    """Parse JSON text; invalid JSON and nesting deeper than :data:`MAX_JSON_DEPTH` raise
    :class:`InputFileError` (the line of a syntax error is named)."""
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise _fail(source, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(source, f"invalid JSON: {exc.msg}", "line", exc.lineno) from None
    except RecursionError:
        raise _fail(source, f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
    return value
