"""An N-1 study's marks from the console's data: where each studied gateway and PoP
is, and where the focused element's hurt sites are (``ui.globe.impact_marks`` draws)."""

from __future__ import annotations

import numpy as np

from opsconsole.console.console_data import ConsoleData
from opsconsole.console.contingency_focus import ContingencyFocus
from opsconsole.ui.globe.impact_marks import ImpactMarks


def draw_study(marks: ImpactMarks, data: ConsoleData, study: ContingencyFocus) -> None:
    """Discs at the study's gateways and PoPs coloured by impact; rings at the sites
    its focused element hurts (the element itself is the selection, ringed already)."""
    tables = {"gateway": data.gateways, "pop": data.pops}
    where = {
        (kind, str(r["id"])): (float(r["lat"]), float(r["lon"]))
        for kind, table in tables.items()
        for r in table
    }
    shown = [(where[(m.kind, m.element_id)], m.lost_weighted_pct) for m in study.marks
             if (m.kind, m.element_id) in where]  # fmt: skip
    marks.set_study(
        np.array([p[0][0] for p in shown], float),
        np.array([p[0][1] for p in shown], float),
        np.array([p[1] for p in shown], float),
    )
    focus = study.focus
    sites = [data.site(i) for i in (focus.site_ids if focus else ())]
    found = [s for s in sites if s is not None]
    marks.set_hurt_sites(
        np.array([s["lat"] for s in found], float), np.array([s["lon"] for s in found], float)
    )
