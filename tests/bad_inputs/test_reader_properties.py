"""Property tests: whatever a reader is given, it returns a value or raises its own error
type (InputFileError for element and site files, ScenarioError for scenarios, ValueError
for horizon profiles), never anything else. The inputs are near misses of valid files,
where bugs hide, not only random bytes (tests/core has those)."""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsconsole.core.element_readers import parse_elements, parse_omm_csv, parse_omm_json
from opsconsole.core.horizon import HorizonProfile
from opsconsole.core.input_errors import InputFileError
from opsconsole.core.site_files import parse_sites_csv, parse_sites_geojson
from opsconsole.training.scenario import ScenarioError, parse_scenario

from ..core.test_element_readers import OMM
from ..training.test_scenario_files import GOOD as GOOD_SCENARIO

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
LINE1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
LINE2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"

# values a field may hold in a JSON or TOML file: the odd ones on purpose
ODD_NUMBERS = st.sampled_from([0, -1, 1e308, -1e308, 1e20, 2**64, math.pi, -0.0, 366, 10**9])
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), ODD_NUMBERS, st.floats(allow_nan=False, allow_infinity=False),
    st.integers(), st.text(max_size=12),
    st.sampled_from(["", "nan", "inf", "1e20", "2026-02-30T00:00:00", "+05:00", "1_0"]),
)  # fmt: skip
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (st.lists(inner, max_size=3)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)  # fmt: skip


def _accepts_or_refuses(call: Any, *errors: type[Exception]) -> None:
    """Run ``call``: a result or one of ``errors`` is fine, anything else fails."""
    with contextlib.suppress(*errors):
        call()


@SETTINGS
@given(
    position=st.integers(0, 68),
    text=st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=8),
    which=st.sampled_from([0, 1]),
)
def test_tle_with_any_field_overwritten(position: int, text: str, which: int) -> None:
    lines = [LINE1, LINE2]
    line = lines[which]
    lines[which] = (line[:position] + text + line[position + len(text) :])[:69]
    data = f"ISS\n{lines[0]}\n{lines[1]}\n".encode()
    _accepts_or_refuses(lambda: parse_elements(data, "f.tle"), InputFileError)


@SETTINGS
@given(changes=st.dictionaries(st.sampled_from(sorted(OMM)), JSON_VALUES, max_size=4),
       drop=st.sets(st.sampled_from(sorted(OMM)), max_size=2))  # fmt: skip
def test_omm_json_with_any_fields_changed(changes: dict[str, Any], drop: set[str]) -> None:
    record = {k: v for k, v in {**OMM, **changes}.items() if k not in drop}
    text = json.dumps([record])
    _accepts_or_refuses(lambda: parse_omm_json(text, "f.json"), InputFileError)


@SETTINGS
@given(payload=JSON_VALUES)
def test_omm_json_of_any_shape(payload: Any) -> None:
    text = json.dumps(payload)
    _accepts_or_refuses(lambda: parse_omm_json(text, "f.json"), InputFileError)


@SETTINGS
@given(cells=st.dictionaries(st.sampled_from(sorted(OMM)), st.text(max_size=10), max_size=5))
def test_omm_csv_with_any_cells(cells: dict[str, str]) -> None:
    record = {k: str(v) for k, v in {**OMM, **cells}.items()}
    header = ",".join(record)
    row = ",".join(json.dumps(v) if "," in v or '"' in v else v for v in record.values())
    _accepts_or_refuses(lambda: parse_omm_csv(f"{header}\n{row}\n", "f.csv"), InputFileError)


SITE = {"name": "Depot", "lat": "51.5", "lon": "-0.1", "demand_mbps": "200", "priority": "2",
        "max_rtt_ms": "60", "altitude_m": "10", "min_elevation_deg": "25",
        "horizon": "0:10;180:20"}  # fmt: skip


@SETTINGS
@given(cells=st.dictionaries(st.sampled_from(sorted(SITE)), st.text(max_size=12), max_size=4))
def test_site_csv_with_any_cells(cells: dict[str, str]) -> None:
    record = {**SITE, **cells}
    header = ",".join(record)
    row = ",".join('"' + v.replace('"', '""') + '"' for v in record.values())
    _accepts_or_refuses(lambda: parse_sites_csv(f"{header}\n{row}\n", "f.csv"), InputFileError)


@SETTINGS
@given(
    props=st.dictionaries(st.sampled_from(sorted(SITE)), JSON_VALUES, max_size=4),
    coordinates=JSON_VALUES | st.lists(ODD_NUMBERS, max_size=3),
    geometry_type=st.sampled_from(["Point", "LineString", "", None]),
)
def test_geojson_with_any_properties(props: dict[str, Any], coordinates: Any,
                                     geometry_type: Any) -> None:  # fmt: skip
    feature = {
        "type": "Feature",
        "geometry": {"type": geometry_type, "coordinates": coordinates},
        "properties": {**{k: v for k, v in SITE.items() if k in ("name",)}, **props},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    _accepts_or_refuses(lambda: parse_sites_geojson(text, "f.geojson"), InputFileError)


TOML_VALUES = st.sampled_from(
    ['"x"', "nan", "inf", "-inf", "0", "-1", "1e308", "[]", "[{a = 1}]", "{a = 1}", "true",
     "2026-02-28T00:00:00Z", "2026-11-24", "[1, 2]", '["Harbourline Ports Group", 7]',
     '"\\u0007"', "12:00:00", '"' + "a" * 300 + '"']
)  # fmt: skip
SCENARIO_LINES = [n for n, line in enumerate(GOOD_SCENARIO.splitlines()) if " = " in line]


@SETTINGS
@given(line=st.sampled_from(SCENARIO_LINES), value=TOML_VALUES,
       extra=st.sampled_from(["", "\n[plan]\nsite_mask_deg = nan", "\n[[objectives]]\n"
                              'kind = "rtt_restored"\nwithin_minutes = nan']))  # fmt: skip
def test_scenario_with_any_value_replaced(line: int, value: str, extra: str) -> None:
    lines = GOOD_SCENARIO.splitlines()
    key = lines[line].split(" = ")[0]
    lines[line] = f"{key} = {value}"
    text = "\n".join(lines) + extra + "\n"
    _accepts_or_refuses(lambda: parse_scenario(text, Path("s.toml")), ScenarioError)


@SETTINGS
@given(st.text(max_size=200))
def test_scenario_of_any_text(text: str) -> None:
    _accepts_or_refuses(lambda: parse_scenario(text, Path("s.toml")), ScenarioError)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.one_of(ODD_NUMBERS.map(str), st.text(max_size=5)),
                  st.one_of(ODD_NUMBERS.map(str), st.text(max_size=5))),
        max_size=6,
    ).map(lambda points: ";".join(f"{a}:{e}" for a, e in points))
    | st.text(max_size=40)
)  # fmt: skip
def test_horizon_profile_of_any_text(text: str) -> None:
    try:
        profile = HorizonProfile.parse(text)
    except ValueError:
        return
    if profile is not None:
        assert all(math.isfinite(v) for v in (*profile.azimuth_deg, *profile.elevation_deg))
