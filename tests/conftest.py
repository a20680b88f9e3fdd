"""Shared fixtures: the real Starlink snapshot (by path), synthetic elements, databases."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsconsole.core.element_readers import read_elements
from opsconsole.core.element_sets import ElementSet
from opsconsole.core.walker import synthetic_constellation

REPO = Path(__file__).resolve().parents[1]
SAMPLE_TLE = Path(
    os.environ.get("OPSCONSOLE_SAMPLE_TLE", REPO.parent / "shared" / "data" / "starlink-sample.tle")
)
SAMPLE_TIME = datetime(2026, 5, 13, 6, 0, tzinfo=UTC)
"""A time 5-18 h after the snapshot's epochs."""
SYNTHETIC_EPOCH = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def sample_tle_path() -> Path:
    if not SAMPLE_TLE.is_file():
        pytest.skip(f"real Starlink snapshot not found at {SAMPLE_TLE} (set OPSCONSOLE_SAMPLE_TLE)")
    return SAMPLE_TLE


@pytest.fixture(scope="session")
def sample_elements(sample_tle_path: Path) -> ElementSet:
    return read_elements(sample_tle_path)


@pytest.fixture(scope="session")
def synthetic_elements() -> ElementSet:
    return synthetic_constellation(SYNTHETIC_EPOCH)


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ops.sqlite"


@pytest.fixture(autouse=True)
def _private_data_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep every test away from the real user data and cache directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
