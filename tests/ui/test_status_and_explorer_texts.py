"""Issue 15, section 3: texts that said the wrong thing (a negative element age, "0 fps"
while paused, a customer's sector under "Residency")."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.gl


def test_status_bar_says_future_epoch_and_paused(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    window.clock.pause()
    median = window.data.elements.median_epoch()
    assert median is not None
    window.clock.scrub(median - timedelta(days=2))
    window._live_refresh()
    age = window.status.age.text()
    assert "epoch 2.0 d in the future" in age and "-" not in age, age
    assert window.status.fps.text() == "paused"
    window.clock.scrub(median + timedelta(days=1))
    window.clock.play()
    window._live_refresh()
    assert "1.0 d old" in window.status.age.text()
    assert window.status.fps.text().endswith("fps")


def test_explorer_customer_rows_keep_the_sector_out_of_residency(make_console) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    model = window.explorer.models["customers"]
    headers = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert headers == ["Customer / site (66)", "Demand Mbps", "Residency", "Sector"]  # 66 sites
    customer = window.data.customers[0]
    row = next(
        r for r in range(model.rowCount()) if model.item(r, 0).text().startswith(customer["name"])
    )
    assert model.item(row, 2).text() == ""  # a customer has no residency of its own
    assert model.item(row, 3).text() == customer["sector"]
    site = model.item(row, 0).child(0, 2).text()
    assert site and site != customer["sector"]


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_status_bar_shows_the_reach_of_earth_orientation_data(make_console) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: the IERS data's end is shown once, in the status bar, amber past it."""
    from opsconsole.core.timescale import earth_orientation_ends

    window = make_console()
    window.clock.pause()
    ends = earth_orientation_ends()
    for moment, colour, says in (
        (ends - timedelta(days=1), "#7bd88f", "within it"),
        (ends + timedelta(days=30), "#ffcc66", "30 days past it"),
    ):
        window.clock.scrub(moment)
        window._live_refresh()
        label = window.status.eop
        assert label.text() == f"EOP to {ends:%Y-%m-%d}"
        assert colour in label.styleSheet() and says in label.toolTip(), label.toolTip()
