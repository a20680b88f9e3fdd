"""The packaged console: build the PyInstaller bundle, archive and .deb with the README's
build script, then run the frozen app with no Python around it.

Slow (a build takes 1-2 minutes), so it runs only when ``OPSCONSOLE_PACKAGING=1`` is
set, as ``.ci/run`` does. The frozen app runs in a clean environment: no virtual
environment on ``PATH``, no ``PYTHONPATH``, a temporary ``HOME``.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from opsconsole import __version__
from tests.conftest import REPO, SAMPLE_TIME

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        os.environ.get("OPSCONSOLE_PACKAGING") != "1",
        reason="builds the installer (1-2 min): set OPSCONSOLE_PACKAGING=1 (CI does)",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("package")
    dist, work = out / "dist", out / "work"
    done = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "--dist", str(dist),
         "--work", str(work)],
        capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report: dict[str, Any] = json.loads((dist / "build-report.json").read_text())
    shutil.rmtree(work)  # PyInstaller's intermediate files: several hundred MB
    yield report
    shutil.rmtree(dist)  # bundle, archive and .deb: about 600 MB


def clean_env(home: Path) -> dict[str, str]:
    """What a freshly logged-in desktop user has: no Python of ours anywhere."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    for name in ("DISPLAY", "XAUTHORITY"):  # the test's X server (pytest-xvfb)
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def run_frozen(executable: Path, args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(executable), *args], capture_output=True, text=True,
                          timeout=600, env=clean_env(home), cwd=home)  # fmt: skip


def globe_colours(png: Path) -> tuple[float, float]:
    """Shares of ocean-blue and land (green or desert) pixels in a screenshot."""
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    assert not image.isNull(), f"unreadable screenshot {png}"
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    rgb = raw[:, : image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    ocean = (b > r + 25) & (b > g) & (b > 50)
    land = ((g > b + 10) & (g > 60)) | ((r > b + 30) & (r > 90) & (g > 60))
    return float(ocean.mean()), float(land.mean())


def daylight_over_the_americas() -> str:
    """Today at 18:00 UTC: noon near 90 W, the side the default camera faces, so the
    Blue Marble (not its night side) fills the shot whatever time the test runs."""
    today = datetime.now(UTC).date()
    return f"{today.isoformat()}T18:00:00Z"


def selftest_figures(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr[-3000:]
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


@pytest.mark.gl
def test_frozen_selftest_draws_the_globe_with_fast_sgp4(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert built["bundle_mb"] < 350.0, f"bundle is {built['bundle_mb']} MB"
    bundle = Path(built["bundle"])
    shot = tmp_path / "frozen.png"
    figures = selftest_figures(run_frozen(
        bundle / "opsconsole",
        ["selftest", "--screenshot", str(shot), "--size", "800x600", "--frames", "60",
         "--at", daylight_over_the_americas()],
        tmp_path / "home",
    ))  # fmt: skip
    assert figures["frozen"] is True and figures["version"] == __version__
    assert figures["sgp4_accelerated"] is True
    assert figures["satellites"] == 4408  # the synthetic default, seeded on first run
    ocean, land = globe_colours(shot)
    assert ocean > 0.02 and land > 0.002, (ocean, land)  # the Blue Marble texture


def test_frozen_propagate_matches_the_installed_package(built, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        sample_tle_path: Path) -> None:  # fmt: skip
    args = ["propagate", "--elements", str(sample_tle_path), "--at",
            SAMPLE_TIME.isoformat().replace("+00:00", "Z")]  # fmt: skip
    frozen = run_frozen(Path(built["bundle"]) / "opsconsole",
                        [*args, "--db", str(tmp_path / "f.sqlite")], tmp_path / "home")  # fmt: skip
    installed = subprocess.run(
        [sys.executable, "-m", "opsconsole", *args, "--db", str(tmp_path / "i.sqlite")],
        capture_output=True, timeout=600,
    )  # fmt: skip
    assert frozen.returncode == 0 and installed.returncode == 0, frozen.stderr
    assert frozen.stdout.encode() == installed.stdout
    assert installed.stdout.count(b"\n") == 10_362  # header and every satellite


def test_frozen_planning_uses_worker_processes(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Spawned workers re-run the frozen executable; freeze_support must catch them."""
    done = run_frozen(
        Path(built["bundle"]) / "opsconsole",
        ["plan", "create", "--name", "frozen", "--start", "2026-11-24T12:00Z", "--hours", "12",
         "--step", "60", "--workers", "2", "--format", "json", "--db", str(tmp_path / "p.sqlite")],
        tmp_path / "home",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "3 of 3 parts done" in done.stderr  # 12 h: three 4 h parts on 2 processes
    assert json.loads(done.stdout.strip().splitlines()[-1])["totals"]["slots"] == 720


def test_archive_holds_the_bundle(built) -> None:  # type: ignore[no-untyped-def]
    archive = Path(built["archive"])
    assert archive.name.startswith(f"opsconsole-{__version__}-linux-")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert f"opsconsole-{__version__}/opsconsole" in names
    assert built["archive_mb"] < built["bundle_mb"]


@pytest.mark.gl
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian/Ubuntu system")
def test_deb_installs_and_its_menu_entry_starts_the_console(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deb = Path(built["deb"])
    info = subprocess.run(["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert f"Version: {__version__}" in info and "libxkbcommon-x11-0" in info
    root = tmp_path / "root"  # a scratch root with an empty package database
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates"):
        (root / folder).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    # the scratch database knows none of the system libraries: their check is forced
    done = subprocess.run(["dpkg", f"--root={root}", "--force-depends", "--force-not-root",
                           "-i", str(deb)], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(["dpkg", f"--root={root}", "-s", "opsconsole"],
                            capture_output=True, text=True)  # fmt: skip
    assert "Status: install ok installed" in listed.stdout
    assert os.readlink(root / "usr/bin/opsconsole") == "/opt/opsconsole/opsconsole"
    assert (root / "usr/share/icons/hicolor/256x256/apps/opsconsole.png").is_file()
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(root / "usr/share/applications/opsconsole.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Icon"] == "opsconsole"
    launcher = root / desktop["Exec"].split()[0].lstrip("/")
    figures = selftest_figures(run_frozen(
        launcher, ["selftest", "--screenshot", str(tmp_path / "deb.png"), "--size", "640x400",
                   "--frames", "60"],
        tmp_path / "home",
    ))  # fmt: skip
    assert figures["frozen"] is True and figures["sgp4_accelerated"] is True
