"""Which plan the console replays on the globe, in the plots, the Inspector and the
alerts, and what it says at an instant. The loading itself runs off the UI thread in
the UI (``ui.qt.plan_on_globe``); this holds the result."""

from __future__ import annotations

from datetime import datetime

from opsconsole.console.events import Event
from opsconsole.plans.playback import MEETS_OBJECTIVE, MISSES_OBJECTIVE, UNSERVED, PlanPlayback
from opsconsole.training.alerts import PlanSlot


class PlanReplay:
    """The replayed plan: ``plan_id`` asked for, its ``playback`` once loaded (``None``:
    no plan, or still loading, or ``error``)."""

    def __init__(self) -> None:
        self.plan_id: int | None = None
        self.follows_active = True
        """Replaying whatever plan is active (not a preview of another)."""
        self.playback: PlanPlayback | None = None
        self.error = ""
        self.requested: Event[int | None] = Event("plan requested")
        """Replay this plan id (``None``: none); the UI loads it and calls :meth:`set`."""
        self.changed: Event[PlanPlayback | None] = Event("replayed plan changed")

    def request(self, plan_id: int | None, *, active: bool = False) -> None:
        """Ask for ``plan_id`` to be replayed (a later request wins); ``active``: it is
        the active plan, and a newly activated plan should replace it."""
        self.plan_id, self.follows_active = plan_id, active
        self.requested.emit(plan_id)

    def stale(self, active_plan_id: int | None, status: str | None) -> bool:
        """Should the replay be reloaded, now that ``active_plan_id`` is active and the
        replayed plan's status is ``status``? (Another plan was activated while the
        active one is followed, or the replayed plan's status moved on.)"""
        if self.follows_active and active_plan_id != self.plan_id:
            return True
        playback = self.playback
        return playback is not None and status is not None and status != playback.status

    def set(self, playback: PlanPlayback | None, error: str = "") -> None:
        """The requested plan was loaded (or could not be: ``error``)."""
        self.playback, self.error = playback, error
        self.changed.emit(playback)

    def slot(self, now: datetime) -> PlanSlot | None:
        """The plan's choice for every site in the slot holding ``now``, if any."""
        playback = self.playback
        j = playback.slot_at(now) if playback is not None else None
        if playback is None or j is None:
            return None
        return PlanSlot(playback.satellite[j], playback.gateway[j], playback.region[j],
                        playback.rtt_ms[j], playback.status_code[j], playback.norad_ids,
                        playback.gateway_ids, playback.region_ids, playback.sites)  # fmt: skip

    def status_text(self, when: datetime) -> str:
        """One line for the status bar: which plan, and what it does at ``when``."""
        playback = self.playback
        if playback is None:
            return self.error or "no plan on the globe"
        head = f"plan {playback.plan_id} “{playback.name}” ({playback.status})"
        if not playback.same_elements:
            head += " — drawn with the console's element set"
        slot = playback.slot_at(when)
        if slot is None:
            window = f"{playback.start:%m-%d %H:%M}–{playback.end:%m-%d %H:%M} UTC"
            return f"{head}: outside its window {window}"
        state = playback.state[slot]
        return (
            f"{head}: {int((state == MEETS_OBJECTIVE).sum())} within objective, "
            f"{int((state == MISSES_OBJECTIVE).sum())} above, {int((state == UNSERVED).sum())} "
            "unserved"
        )
