"""The hand-written package list of ``pyproject.toml`` names every package on disk: a
package missing from it is absent from a wheel (and from the frozen bundle) while an
editable install still finds it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_directory_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "opsconsole").rglob("__init__.py")
    }
    mapped = {name for name, folder in config["package-dir"].items() if (ROOT / folder).is_dir()}
    assert on_disk | mapped == listed
