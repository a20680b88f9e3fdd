"""Build the packaged console: ``python packaging/build.py [--dist DIR] [--no-deb]``.

Produces, in ``dist/`` (or ``--dist``):

- ``opsconsole/``: the PyInstaller one-folder bundle (``opsconsole/opsconsole`` runs
  every command of the installed ``opsconsole``, the window included);
- ``opsconsole-VERSION-SYSTEM-MACHINE.tar.gz`` (``.zip`` on Windows): that folder;
- on Linux with ``dpkg-deb``: ``opsconsole_VERSION_ARCH.deb``, which installs the bundle
  to ``/opt/opsconsole``, ``/usr/bin/opsconsole``, a menu entry and the icons;
- ``build-report.json``: build time and sizes.

Needs PyInstaller in the running Python (``./dev.sh package`` installs it and runs this).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "opsconsole"
DEB_DEPENDS = (
    "libc6, libgl1, libegl1, libglx-mesa0 | libglx0, libgl1-mesa-dri, libfontconfig1, "
    "libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, "
    "libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, "
    "libxcb-xinerama0, libxcb-xkb1, libxcb-xfixes0"
)
"""What the bundle's Qt needs from the system (the same list ``dev.sh`` installs, less
the X server used only by the tests); everything Python is inside the bundle."""


def folder_bytes(path: Path) -> int:
    """Size of the files under ``path`` (bytes, symbolic links not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def version() -> str:
    """The package's version, read from the source (the spec reads the same)."""
    sys.path.insert(0, str(ROOT))
    import opsconsole

    return str(opsconsole.__version__)


def run_pyinstaller(dist: Path, work: Path) -> Path:
    """Build the one-folder bundle; returns its folder."""
    spec = ROOT / "packaging" / "opsconsole.spec"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(spec),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT)
    bundle = dist / NAME
    if not (bundle / (NAME + (".exe" if os.name == "nt" else ""))).exists():
        raise SystemExit(f"PyInstaller finished but {bundle} has no executable")
    return bundle


def archive(bundle: Path, dist: Path, ver: str) -> Path:
    """``.tar.gz`` (``.zip`` on Windows) of the bundle folder, named with the version."""
    stem = f"{NAME}-{ver}-{platform.system().lower()}-{platform.machine().lower()}"
    if os.name == "nt":
        return Path(shutil.make_archive(str(dist / stem), "zip", bundle.parent, bundle.name))
    out = dist / f"{stem}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{NAME}-{ver}")
    return out


def deb(bundle: Path, dist: Path, ver: str) -> Path:
    """A ``.deb`` of the bundle: ``/opt/opsconsole``, ``/usr/bin/opsconsole``, the menu
    entry and hicolor icons. Built with ``dpkg-deb`` (root-owned files)."""
    arch = subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                          text=True).stdout.strip()  # fmt: skip
    stage = dist / "deb-root"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / "opt" / NAME, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy2(ROOT / "packaging" / "linux" / f"{NAME}.desktop", apps / f"{NAME}.desktop")
    for png in (ROOT / "resources" / "icons").glob(f"{NAME}-*.png"):  # made by make_icons.py
        size = png.stem.rsplit("-", 1)[1]
        icons = stage / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(png, icons / f"{NAME}.png")
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {NAME}\n"
        f"Version: {ver}\n"
        f"Architecture: {arch}\n"
        "Maintainer: opsconsole developers <opsconsole@localhost>\n"
        f"Installed-Size: {folder_bytes(stage) // 1024}\n"
        f"Depends: {DEB_DEPENDS}\n"
        "Section: net\n"
        "Priority: optional\n"
        "Description: operations console for a satellite-internet constellation\n"
        " Watches the constellation on a 3D globe and plans which satellite, gateway and\n"
        " cloud region serves each customer site, with plans kept in a local database.\n"
        " Self-contained: Python and its libraries are inside /opt/opsconsole.\n",
        encoding="utf-8",
    )
    out = dist / f"{NAME}_{ver}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(out)],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    shutil.rmtree(stage)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python packaging/build.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-deb", action="store_true", help="skip the Debian package")
    args = parser.parse_args(argv)
    ver = version()
    dist = args.dist.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    bundle = run_pyinstaller(dist, args.work.resolve())
    built_s = time.perf_counter() - started
    report: dict[str, object] = {
        "version": ver,
        "pyinstaller_s": round(built_s, 1),
        "bundle": str(bundle),
        "bundle_mb": round(folder_bytes(bundle) / 1e6, 1),
    }
    packed = archive(bundle, dist, ver)
    report |= {"archive": str(packed), "archive_mb": round(packed.stat().st_size / 1e6, 1)}
    if not args.no_deb and sys.platform.startswith("linux") and shutil.which("dpkg-deb"):
        package = deb(bundle, dist, ver)
        report |= {"deb": str(package), "deb_mb": round(package.stat().st_size / 1e6, 1)}
    report["total_s"] = round(time.perf_counter() - started, 1)
    (dist / "build-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    for key, value in report.items():
        print(f"{key:>14}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
