"""Input that would exhaust memory or the interpreter's stack is refused by name:
``/dev/zero`` as an element or site file, a file over the size limit, and JSON nested
thousands of levels deep (the parser recurses)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from opsconsole.core.bounded_input import MAX_JSON_DEPTH, load_json, nesting_depth, read_bounded
from opsconsole.core.element_readers import read_elements
from opsconsole.core.input_errors import InputFileError
from opsconsole.core.site_files import read_sites

from .conftest import Run

ZERO = Path("/dev/zero")


@pytest.mark.skipif(not ZERO.exists(), reason="/dev/zero is not on this system")
@pytest.mark.parametrize(
    "command",
    [("elements", "import", str(ZERO)), ("sites", "import", str(ZERO), "--customer", "Acme")],
    ids=["elements", "sites"],
)
def test_dev_zero_is_refused_without_reading_it_all(
    refused: Callable[..., Run], command: tuple[str, ...]
) -> None:
    result = refused(*command, expected=("/dev/zero", "bytes allowed"))
    assert result.code == 1


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.tle"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputFileError, match=r"big.tle.*2,000 bytes, more than the 1,000"):
        read_bounded(path, limit=1000)
    assert read_bounded(path, limit=2000) == b"x" * 2000


def test_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is a folder"):
        read_elements(tmp_path)


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 100_000])
def test_deep_json_is_refused_by_both_readers(tmp_path: Path, levels: int) -> None:
    elements = tmp_path / "deep.json"
    elements.write_text(_deep(levels))
    with pytest.raises(InputFileError, match=f"nested more than {MAX_JSON_DEPTH} levels"):
        read_elements(elements)
    sites = tmp_path / "deep.geojson"
    sites.write_text('{"type": "FeatureCollection", "features": ' + _deep(levels) + "}")
    with pytest.raises(InputFileError, match=f"nested more than {MAX_JSON_DEPTH} levels"):
        read_sites(sites)


def test_deep_json_through_the_cli(refused: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(_deep(200_000))
    refused("elements", "import", str(path), expected=("deep.json", "nested more than"))


def test_nesting_depth_ignores_brackets_inside_strings() -> None:
    text = json.dumps({"name": "[" * 500, "list": [[1, 2], {"a": [3]}]})
    assert nesting_depth(text) == 4
    assert load_json(text, "x.json")["list"][1] == {"a": [3]}
    escaped = json.dumps(['a \\" [[[[', "{" * 100])
    assert nesting_depth(escaped) == 1
    assert nesting_depth(_deep(MAX_JSON_DEPTH)) == MAX_JSON_DEPTH


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(InputFileError) as caught:
        load_json("[\n1,\n2,,\n]", "f.json")
    issue = caught.value.issues[0]
    assert (issue.source, issue.unit, issue.number) == ("f.json", "line", 3)
