"""Files are written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsconsole.atomic_files import atomic_text, temporary_beside


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "schedule.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(target) as out:
        out.write("half of the new")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.csv"]


def test_a_finished_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    with atomic_text(target) as out:
        out.write("{}")
        assert target.read_text(encoding="utf-8") == "old"  # not visible until the end
    assert target.read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    with temporary_beside(tmp_path / "shot.png") as temporary:
        assert temporary.parent == tmp_path and temporary.name.endswith(".part")
        temporary.write_bytes(b"png")
    assert (tmp_path / "shot.png").read_bytes() == b"png"


def test_the_file_gets_an_ordinary_mode_not_the_temporary_files_private_one(tmp_path: Path) -> None:
    import os

    fresh = tmp_path / "export.kml"
    with atomic_text(fresh) as out:
        out.write("<kml/>")
    umask = os.umask(0o022)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "shared.csv"
    kept.write_text("a", encoding="utf-8")
    kept.chmod(0o640)
    with atomic_text(kept) as out:
        out.write("b")
    assert kept.stat().st_mode & 0o777 == 0o640
