"""Issue 15, broken flow 3: selecting a site or gateway grew the window's minimum size
past a 1000 px screen (the status bar and Plots went off screen)."""

from __future__ import annotations

import pytest

from opsconsole.console.selection import ObjectRef

pytestmark = pytest.mark.gl


def test_no_selection_changes_the_windows_minimum_size(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    qtbot.wait(200)
    before = window.minimumSizeHint()
    refs = [ObjectRef("site", int(s["id"])) for s in window.data.sites[:3]]
    refs += [ObjectRef("gateway", str(g["id"])) for g in window.data.gateways[:3]]
    refs += [ObjectRef("pop", str(p["id"])) for p in window.data.pops[:2]]
    refs += [ObjectRef("region", str(r["id"])) for r in window.data.regions[:2]]
    refs.append(ObjectRef("satellite", int(window.data.elements.norad_ids[0])))
    grown = []
    for ref in refs:
        window.selection.select(ref)
        qtbot.wait(50)
        hint = window.minimumSizeHint()
        if hint != before:
            grown.append((ref, hint.width(), hint.height()))
    assert not grown, grown
    assert before.height() <= 1000 and before.width() <= 1600  # fits a 1600x1000 screen
    assert window.height() <= 1000 and window.width() <= 1600
