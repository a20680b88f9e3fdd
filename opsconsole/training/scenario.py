"""Training scenarios: the TOML file format, its validation and the parsed value.

A scenario file (see docs/training.md) has a ``[scenario]`` table (title, briefing,
start, speed, duration, elements, customers), an optional ``[plan]`` table (the
starting plan's step, mode and terminal mask), ``[[objectives]]`` and timed
``[[events]]``. Every error names the file, the line and the reason; nothing is
half-loaded.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from opsconsole.core.bounded_input import read_bounded
from opsconsole.core.horizon import check_mask
from opsconsole.core.input_errors import InputFileError, name_problem
from opsconsole.training.catalog_refs import CatalogRefs

EVENT_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "satellite_failure": {"satellites": list, "plane_of": int},
    "gateway_outage": {"gateway": str},
    "gateway_capacity_loss": {"gateway": str, "remaining_pct": (int, float)},
    "region_outage": {"region": str},
    "element_update": {"along_track_s": (int, float)},
    "demand_surge": {"customer": str, "factor": (int, float)},
    "new_site": {"customer": str, "name": str, "lat": (int, float), "lon": (int, float),
                 "demand_mbps": (int, float), "priority": int, "max_rtt_ms": (int, float)},
}  # fmt: skip
"""Fields of each event kind besides ``kind``, ``at_minutes`` and ``until_minutes``."""
OPTIONAL_EVENT_FIELDS = {"satellite_failure": {"satellites", "plane_of"}}
"""Of these, at least one must be given (both: the union)."""
OBJECTIVE_KINDS = ("rtt_restored", "availability")
MAX_SPEED = 3600.0
MAX_SCENARIO_BYTES = 2**20
"""Largest scenario file read (1 MiB; the shipped ones are a few kB)."""


class ScenarioError(ValueError):
    """A scenario file is unreadable or invalid: ``file line N: reason``."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        where = f"{path} line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path, self.line, self.reason = str(path), line, reason


@dataclass(frozen=True)
class Event:
    """A timed change of the world: from ``start`` to ``end`` (aware UTC; ``end`` is the
    scenario's end when the file gives none). ``fields`` holds the kind's own values."""

    index: int
    kind: str
    start: datetime
    end: datetime
    fields: dict[str, Any]
    line: int

    @property
    def label(self) -> str:
        """Short human name, e.g. ``gateway_outage gw-frankfurt``."""
        keys = ("name",) if self.kind == "new_site" else ("gateway", "region", "customer",
                                                          "plane_of", "satellites",
                                                          "along_track_s")  # fmt: skip
        target = next((str(v) for k, v in self.fields.items() if k in keys), "")
        return f"{self.kind} {target}".strip()


@dataclass(frozen=True)
class Objective:
    """``rtt_restored``: after each incident, every affected site of priority ``priority``
    or higher (1 is highest) is back within its round-trip objective within
    ``within_minutes``. ``availability``: each such site is within objective for at
    least ``min_pct`` % of the session."""

    name: str
    kind: str
    priority: int
    within_minutes: float | None = None
    min_pct: float | None = None


@dataclass(frozen=True)
class Scenario:
    """A parsed, validated scenario (times aware UTC, speed in simulated s per s)."""

    path: str
    title: str
    briefing: str
    start: datetime
    speed: float
    duration: timedelta
    elements: str
    """``synthetic`` or the path of a TLE/OMM file (resolved next to the scenario)."""
    customers: tuple[str, ...]
    step_s: float
    mode: str
    site_mask_deg: float
    objectives: tuple[Objective, ...]
    events: tuple[Event, ...] = field(default_factory=tuple)
    text: str = field(default="", repr=False, compare=False)
    """The file's text as it was read (a session keeps it, so a later edit of the file
    does not change what the session ran)."""

    @property
    def end(self) -> datetime:
        return self.start + self.duration


def _line_index(text: str) -> dict[tuple[Any, ...], int]:
    """Line of each table header and key: ``("events", 2, "gateway") -> 31``."""
    index: dict[tuple[Any, ...], int] = {}
    counts: dict[str, int] = {}
    where: tuple[Any, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if match := re.match(r"^\[\[\s*([A-Za-z_]+)\s*\]\]", stripped):
            name = match.group(1)
            counts[name] = counts.get(name, -1) + 1
            where = (name, counts[name])
            index[where] = number
        elif match := re.match(r"^\[\s*([A-Za-z_]+)\s*\]", stripped):
            where = (match.group(1),)
            index[where] = number
        elif match := re.match(r"^([A-Za-z0-9_-]+)\s*=", stripped):
            index.setdefault((*where, match.group(1)), number)
    return index


class _Reader:
    """Typed access to one table of the parsed file, with line numbers in errors."""

    def __init__(self, path: Path, lines: dict[tuple[Any, ...], int], where: tuple[Any, ...],
                 table: dict[str, Any]) -> None:  # fmt: skip
        self.path, self.lines, self.where, self.table = path, lines, where, table

    def line(self, key: str | None = None) -> int | None:
        if key is not None and (*self.where, key) in self.lines:
            return self.lines[(*self.where, key)]
        return self.lines.get(self.where)

    def fail(self, key: str | None, reason: str) -> ScenarioError:
        name = ".".join(str(w) if isinstance(w, str) else f"[{w}]" for w in self.where)
        name = name.replace(".[", "[")
        return ScenarioError(
            self.path, self.line(key), f"{name}{'.' + key if key else ''}: {reason}"
        )

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                raise self.fail(None, f"missing {key!r}")
            return default
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise self.fail(key, f"expected {names}, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(key, f"must be a finite number, got {value!r}")
        return value

    def unknown(self, known: set[str]) -> None:
        for key in self.table:
            if key not in known:
                raise self.fail(key, f"unknown key (allowed: {', '.join(sorted(known))})")


def load_scenario(path: Path | str, refs: CatalogRefs | None = None) -> Scenario:
    """Read and validate a scenario file; raises :class:`ScenarioError` (file, line,
    reason). ``refs`` checks gateways, regions, customers and satellites against the
    catalog (the built-in one by default)."""
    path = Path(path)
    try:
        text = read_bounded(path, MAX_SCENARIO_BYTES).decode("utf-8")
    except InputFileError as exc:
        raise ScenarioError(path, None, f"cannot read: {exc.issues[0].reason}") from None
    except UnicodeDecodeError as exc:
        line = text_line(exc.object, exc.start)
        raise ScenarioError(path, line, "not UTF-8 text") from None
    return parse_scenario(text, path, refs)


def text_line(data: bytes, offset: int) -> int:
    """1-based line of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def parse_scenario(text: str, path: Path | str, refs: CatalogRefs | None = None) -> Scenario:
    """Validate a scenario's text (``path`` names it in errors and resolves a relative
    element file); see :func:`load_scenario`."""
    path = Path(path)
    if len(text) > MAX_SCENARIO_BYTES:
        raise ScenarioError(path, None, f"more than {MAX_SCENARIO_BYTES:,} characters")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ScenarioError(path, int(match.group(1)) if match else None,
                            f"not valid TOML: {exc}") from None  # fmt: skip
    except RecursionError:
        raise ScenarioError(
            path, None, "not valid TOML: arrays or tables nested too deeply"
        ) from None
    lines = _line_index(text)
    top = _Reader(path, lines, (), data)
    top.unknown({"scenario", "plan", "objectives", "events"})
    refs = refs or CatalogRefs.builtin()
    head = _Reader(path, lines, ("scenario",), top.get("scenario", dict))
    head.unknown({"title", "briefing", "start", "speed", "duration_minutes", "elements",
                  "customers"})  # fmt: skip
    start = head.get("start", datetime)
    if start.tzinfo is None:
        raise head.fail("start", "give a UTC offset, e.g. 2026-11-24T08:00:00Z")
    start = start.astimezone(UTC)
    speed = float(head.get("speed", (int, float), 60.0))
    if not 1.0 <= speed <= MAX_SPEED:
        raise head.fail("speed", f"must be between 1 and {MAX_SPEED:g}, got {speed:g}")
    minutes = float(head.get("duration_minutes", (int, float)))
    if not 1.0 <= minutes <= 72 * 60:
        raise head.fail("duration_minutes", "must be between 1 and 4320 (72 h)")
    customers = tuple(head.get("customers", list, []))
    for name in customers:
        if not isinstance(name, str):
            raise head.fail("customers", f"expected customer names, got {name!r}")
        if name not in refs.customers:
            raise head.fail("customers", f"no customer called {name!r}")
    elements = head.get("elements", str, "synthetic")
    if elements != "synthetic":
        file = (path.parent / elements).resolve()
        if not file.is_file():
            raise head.fail("elements", f"no element file {file}")
        elements = str(file)
    plan = _Reader(path, lines, ("plan",), top.get("plan", dict, {}))
    plan.unknown({"step_s", "mode", "site_mask_deg"})
    step = float(plan.get("step_s", (int, float), 60.0))
    if step not in (15.0, 30.0, 60.0):
        raise plan.fail("step_s", f"must be 15, 30 or 60, got {step:g}")
    mode = plan.get("mode", str, "bent-pipe")
    if mode not in ("bent-pipe", "isl"):
        raise plan.fail("mode", f"must be bent-pipe or isl, got {mode!r}")
    mask = float(plan.get("site_mask_deg", (int, float), 25.0))
    if problem := check_mask(mask):
        raise plan.fail("site_mask_deg", problem.replace("min_elevation_deg ", ""))
    duration = timedelta(minutes=minutes)
    objectives = tuple(
        _objective(_Reader(path, lines, ("objectives", i), item))
        for i, item in enumerate(_tables(top, "objectives"))
    )
    events = tuple(
        _event(_Reader(path, lines, ("events", i), item), i, start, duration, refs)
        for i, item in enumerate(_tables(top, "events"))
    )
    title = head.get("title", str)
    if problem := name_problem(title, "title"):
        raise head.fail("title", problem)
    return Scenario(str(path), title, head.get("briefing", str, ""), start,
                    speed, duration, elements, customers, step, mode, mask, objectives,
                    tuple(sorted(events, key=lambda e: (e.start, e.index))),
                    text)  # fmt: skip


def _tables(top: _Reader, key: str) -> list[dict[str, Any]]:
    items: list[Any] = top.get(key, list, [])
    if not all(isinstance(item, dict) for item in items):
        raise top.fail(key, f"use [[{key}]] tables")
    return [dict(item) for item in items]


def _objective(r: _Reader) -> Objective:
    kind = r.get("kind", str)
    if kind not in OBJECTIVE_KINDS:
        raise r.fail("kind", f"unknown objective {kind!r} (one of {', '.join(OBJECTIVE_KINDS)})")
    own = {"within_minutes"} if kind == "rtt_restored" else {"min_pct"}
    r.unknown({"name", "kind", "priority"} | own)
    priority = r.get("priority", int, 5)
    if not 1 <= priority <= 5:
        raise r.fail("priority", "must be 1 (highest) to 5")
    if kind == "rtt_restored":
        within = float(r.get("within_minutes", (int, float)))
        if within <= 0:
            raise r.fail("within_minutes", "must be more than 0")
        return Objective(r.get("name", str, kind), kind, priority, within_minutes=within)
    pct = float(r.get("min_pct", (int, float)))
    if not 0 < pct <= 100:
        raise r.fail("min_pct", "must be in (0, 100]")
    return Objective(r.get("name", str, kind), kind, priority, min_pct=pct)


def _event(r: _Reader, index: int, start: datetime, duration: timedelta,
           refs: CatalogRefs) -> Event:  # fmt: skip
    kind = r.get("kind", str)
    if kind not in EVENT_FIELDS:
        raise r.fail("kind", f"unknown event {kind!r} (one of {', '.join(EVENT_FIELDS)})")
    spec = EVENT_FIELDS[kind]
    r.unknown({"kind", "at_minutes", "until_minutes", *spec, "residency"})
    at = float(r.get("at_minutes", (int, float)))
    until = float(r.get("until_minutes", (int, float), duration.total_seconds() / 60.0))
    if not 0 <= at < duration.total_seconds() / 60.0:
        raise r.fail("at_minutes", "must fall within the scenario")
    if until <= at:
        raise r.fail("until_minutes", "must come after at_minutes")
    if kind == "element_update" and "until_minutes" in r.table:
        raise r.fail(
            "until_minutes",
            "an element update holds to the scenario's end (a later update replaces it)",
        )
    optional = OPTIONAL_EVENT_FIELDS.get(kind, set())
    fields: dict[str, Any] = {}
    for key, kind_of in spec.items():
        if key in optional and key not in r.table:
            continue
        fields[key] = r.get(key, kind_of)
    if optional and not optional & set(fields):
        raise r.fail(None, f"give {' or '.join(sorted(optional))}")
    if "residency" in r.table and kind == "new_site":
        fields["residency"] = r.get("residency", str)
    if kind == "new_site" and (problem := name_problem(fields["name"])):
        raise r.fail("name", problem)
    refs.check_event(kind, fields, r.fail)
    end = min(start + timedelta(minutes=until), start + duration)
    return Event(index, kind, start + timedelta(minutes=at), end, fields, r.line() or 0)


def with_overrides(scenario: Scenario, *, speed: float | None = None,
                   until: str | None = None) -> Scenario:  # fmt: skip
    """The scenario at another clock speed, or ending earlier at ``until`` (ISO 8601 UTC):
    events are cut at the new end and those starting after it dropped."""
    from dataclasses import replace

    if speed is not None and not 1.0 <= speed <= MAX_SPEED:
        raise ValueError(f"speed must be between 1 and {MAX_SPEED:g}, got {speed:g}")
    out = replace(scenario, speed=speed) if speed is not None else scenario
    if until is None:
        return out
    end = datetime.fromisoformat(until.replace("Z", "+00:00"))
    if end.tzinfo is None:
        raise ValueError(f"--until needs a UTC offset, e.g. {until}Z")
    if not scenario.start < end <= scenario.end:
        raise ValueError(f"--until must fall after the start and by {scenario.end.isoformat()}")
    events = tuple(replace(e, end=min(e.end, end)) for e in out.events if e.start < end)
    return replace(out, duration=end - scenario.start, events=events)
