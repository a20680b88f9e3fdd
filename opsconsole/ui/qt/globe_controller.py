"""Drives the globe from the simulation clock: positions, Sun, selection overlay, follow,
picking and hover. Owns the frame timer; all per-frame work is vectorised numpy."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QObject, QTimer

from opsconsole.console.console_data import ConsoleData
from opsconsole.console.contingency_focus import ContingencyFocus
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.core.element_sets import build_element_set
from opsconsole.core.frames import WGS84_A_KM, geodetic_from_ecef
from opsconsole.core.look_angles import Sites
from opsconsole.core.orbit_geometry import footprint_ring, ground_track, orbit_ring
from opsconsole.core.propagation import propagate
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.core.sun import sun_itrs_km
from opsconsole.core.timescale import time_at, times_from
from opsconsole.core.track_feed import TrackFeed
from opsconsole.planning.coverage import in_view
from opsconsole.plans.playback import PlanFrame, PlanPlayback
from opsconsole.ui.globe.reference_lines import lonlat_to_scene
from opsconsole.ui.qt.contingency_on_globe import draw_study
from opsconsole.ui.qt.globe_view import GlobeView
from opsconsole.ui.qt.satellite_colors import color_by

FRAME_MS = 30
DEFAULT_MASK_DEG = 25.0
PATH_REFRESH_S = 20.0
SUN_REFRESH_S = 30.0


class GlobeController(QObject):
    """Feeds a :class:`GlobeView` every frame and turns clicks into selections."""

    def __init__(self, view: GlobeView, clock: SimulationClock, selection: Selection) -> None:
        super().__init__(view)
        self.view, self.globe, self.clock, self.selection = view, view.globe, clock, selection
        self.data: ConsoleData | None = None
        self.feed: TrackFeed | None = None
        self.positions: NDArray[np.float64] = np.empty((0, 3))
        self.positions_time: datetime | None = None
        self.mask_deg = DEFAULT_MASK_DEG
        self.follow = False
        self.color_mode = "shell"
        self._sun_time: datetime | None = None
        self._paths: tuple[int, datetime] | None = None
        self._orbit: NDArray[np.float64] | None = None  # selected satellite, km
        self._track: NDArray[np.float64] | None = None
        self._drawn_time: datetime | None = None
        self.playback: PlanPlayback | None = None
        self.plan_frame: PlanFrame | None = None
        self._fps_frames, self._fps_since, self.fps = 0, time.monotonic(), 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        view.clicked.connect(self.pick)
        view.hovered.connect(self._hover)
        view.left.connect(self._unhover)
        selection.changed.connect(lambda _ref: self.refresh_selection())

    # -- data ----------------------------------------------------------------------
    def set_data(self, data: ConsoleData) -> None:
        """Show a (new) database's content."""
        if self.feed is not None:
            self.feed.close()
        old = self.data
        same = old is not None and np.array_equal(old.elements.norad_ids, data.elements.norad_ids)
        self.data = data
        self.feed = TrackFeed(data.elements)
        self.positions = np.full((len(data.elements), 3), np.nan)
        self.positions_time = None
        if not same:  # the same satellites (new elements): failed ones stay marked
            self.failed = np.zeros(len(data.elements), dtype=bool)
        self.globe.satellites.set_colors(self._colors())
        self.ground_changed()
        self._drawn_time = None
        self._paths = None

    def ground_changed(self) -> None:
        """Re-place site, gateway, PoP and region markers (after an edit)."""
        data, ground = self.data, self.globe.ground
        if data is None or ground is None:
            return
        for style, _kind, rows in ground_groups(data):
            ground.set_objects(
                style,
                np.array([r["lat"] for r in rows], float),
                np.array([r["lon"] for r in rows], float),
            )
        self.refresh_selection()

    def _colors(self) -> NDArray[np.float32]:
        """Satellite colours by the colour mode, failed satellites (incidents) dark red."""
        from opsconsole.ui.globe.incidents import FAILED_SATELLITE_RGBA

        assert self.data is not None
        colors = color_by(self.color_mode, self.data)
        failed = getattr(self, "failed", None)
        if failed is not None and failed.shape[0] == colors.shape[0]:
            colors[failed] = FAILED_SATELLITE_RGBA
        return colors

    def set_incidents(
        self, lat_deg: list[float], lon_deg: list[float], failed: NDArray[np.bool_]
    ) -> None:
        """Ring the gateways and regions that are down; recolour failed satellites
        (``failed``: a mask over the console's satellites)."""
        marks = self.globe.incidents
        if marks is not None:
            marks.set_down(np.asarray(lat_deg, float), np.asarray(lon_deg, float))
        self.failed = np.asarray(failed, dtype=bool)
        if self.data is not None:
            self.globe.satellites.set_colors(self._colors())
            self.globe.satellites.set_positions(self.positions)
        self.globe.canvas.update()

    def set_color_mode(self, mode: str) -> None:
        """Colour satellites by ``shell``, ``plane`` or ``status``."""
        self.color_mode = mode
        if self.data is not None:
            self.globe.satellites.set_colors(self._colors())
            self.globe.satellites.set_positions(self.positions)
            self.globe.canvas.update()

    # -- frames --------------------------------------------------------------------
    def start(self) -> None:
        """Start the frame timer."""
        self.timer.start()

    def stop(self) -> None:
        """Stop the timer and the feed's worker."""
        self.timer.stop()
        if self.feed is not None:
            self.feed.close()

    def tick(self) -> None:
        """One frame: move satellites, Sun and overlays to the clock's time."""
        self.view.advance_flight()
        if self.feed is None:
            return
        when = self.clock.now()
        speed = self.clock.speed if self.clock.playing else 0
        positions, exact = self.feed.positions(when, speed)
        if exact != self.positions_time or when != self._drawn_time:
            self.positions, self.positions_time = positions, exact
            self._draw(when)
        self._count_fps()

    def _draw(self, when: datetime) -> None:
        self.globe.satellites.set_positions(self.positions)
        if self._sun_time is None or abs((when - self._sun_time).total_seconds()) > SUN_REFRESH_S:
            self.globe.earth.set_sun(sun_itrs_km(time_at(when))[0])
            self._sun_time = when
        self._drawn_time = when
        self._update_selection_visuals(when)
        self._update_plan(when)
        if self.follow:
            self._follow()
        self.globe.canvas.update()

    def _count_fps(self) -> None:
        now = time.monotonic()
        if now - self._fps_since >= 1.0:
            frames = self.view.frames_drawn
            self.fps = (frames - self._fps_frames) / (now - self._fps_since)
            self._fps_frames, self._fps_since = frames, now

    def force_sun(self) -> None:
        """Recompute the night side now (e.g. after toggling night shading)."""
        self._sun_time = None
        self._drawn_time = None

    # -- plan ----------------------------------------------------------------------
    def set_playback(self, playback: PlanPlayback | None) -> None:
        """Draw ``playback``'s plan from now on (``None``: no plan)."""
        self.playback = playback
        self.plan_frame = None
        self._update_plan(self._drawn_time or self.clock.now())
        self.globe.canvas.update()

    def _update_plan(self, when: datetime) -> None:
        layer, playback = self.globe.plan, self.playback
        if layer is None:
            return
        slot = playback.slot_at(when) if playback is not None else None
        if playback is None or slot is None:
            self.plan_frame = None
            layer.hide()
            return
        if self.plan_frame is None or self.plan_frame.slot != slot:
            self.plan_frame = playback.frame(slot)
        frame = self.plan_frame
        known = frame.satellite >= 0
        satellites = np.full((len(frame.satellite), 3), np.nan)
        if len(self.positions):
            satellites[known] = self.positions[frame.satellite[known]]
        layer.set_frame(
            playback.site_km,
            satellites,
            frame.gateway_km,
            frame.region_km,
            frame.state,
            through_mesh=playback.mode == "isl",
            pop_km=frame.pop_km,
        )

    # -- selection -----------------------------------------------------------------
    def refresh_selection(self) -> None:
        """Redraw the selection's visuals at the current time."""
        self._paths = None
        self._update_selection_visuals(self._drawn_time or self.clock.now())
        self.globe.canvas.update()

    def satellite_index(self, ref: ObjectRef | None) -> int | None:
        """Index in the element set of a selected satellite."""
        if ref is None or ref.kind != "satellite" or self.data is None:
            return None
        return self.data.satellite_index(int(ref.key))

    def object_position(self, ref: ObjectRef | None) -> NDArray[np.float32] | None:
        """Scene position of any selectable object (``None`` if unknown)."""
        data = self.data
        if ref is None or data is None:
            return None
        if ref.kind == "satellite":
            index = self.satellite_index(ref)
            if index is None or len(self.positions) <= index:
                return None
            return np.asarray(self.positions[index] / WGS84_A_KM, dtype=np.float32)
        rows = {"site": data.sites, "gateway": data.gateways, "region": data.regions,
                "pop": data.pops}.get(ref.kind)  # fmt: skip
        row = next((r for r in rows or [] if r["id"] == ref.key), None)
        if row is None:
            return None
        point = lonlat_to_scene(np.array([row["lon"]]), np.array([row["lat"]]), 1.003)
        return np.asarray(point[0], dtype=np.float32)

    def label_of(self, ref: ObjectRef) -> str:
        """Short label of an object for the globe."""
        data = self.data
        if data is None:
            return ""
        if ref.kind == "satellite":
            index = self.satellite_index(ref)
            return f"{data.elements.names[index]} ({ref.key})" if index is not None else ""
        rows = {
            "site": data.sites,
            "gateway": data.gateways,
            "region": data.regions,
            "pop": data.pops,
            "customer": data.customers,
        }.get(ref.kind, [])
        row = next((r for r in rows if r["id"] == ref.key), None)
        if row is None:
            return ""
        return str(row.get("display_name") or row["name"])

    def show_contingency(self, study: ContingencyFocus) -> None:
        """Draw ``study`` on the globe (``contingency_on_globe``)."""
        if self.globe.contingency is not None and self.data is not None:
            draw_study(self.globe.contingency, self.data, study)
            self.globe.canvas.update()

    def _update_selection_visuals(self, when: datetime) -> None:
        overlay, ref = self.globe.overlay, self.selection.current
        if overlay is None:
            return
        overlay.set_highlight(self.object_position(ref), self.label_of(ref) if ref else "")
        index = self.satellite_index(ref)
        if index is None or not np.isfinite(self.positions[index]).all():
            overlay.set_satellite_paths(None, None, None)
        else:
            self._satellite_paths(index, when)
        if ref is not None and ref.kind == "site" and self.data is not None:
            row = self.data.site(int(ref.key))
            if row is not None:
                site = Sites.from_geodetic([row["lat"]], [row["lon"]], row["alt_m"] / 1000.0)
                seen = in_view(site, self.positions, self.mask_deg)
                overlay.set_links(site.ecef_km[0], self.positions[seen.satellite])
                return
        overlay.set_links(None, np.empty((0, 3)))

    def _satellite_paths(self, index: int, when: datetime) -> None:
        assert self.data is not None and self.globe.overlay is not None
        position = self.positions[index]
        footprint = footprint_ring(position, self.mask_deg)
        key = (index, when)
        if (
            self._paths is None
            or self._paths[0] != index
            or abs((when - self._paths[1]).total_seconds()) > PATH_REFRESH_S
        ):
            record = self.data.elements.records[index]
            period_s = 86400.0 / record.mean_motion_rev_per_day
            offsets = np.linspace(-period_s / 2, period_s / 2, 181)
            single = build_element_set([record], "selection")
            track = propagate(single, times_from(when, offsets), velocities=False).position_km[0]
            self._orbit = orbit_ring(track, offsets)
            self._track = ground_track(track)
            self._paths = key
        self.globe.overlay.set_satellite_paths(self._orbit, self._track, footprint)

    def _follow(self) -> None:
        index = self.satellite_index(self.selection.current)
        if index is None or self.view.flying:
            return
        position = self.positions[index]
        if np.isfinite(position).all():
            lat, lon, _ = geodetic_from_ecef(position.reshape(1, 3))
            _, _, distance = self.globe.view_center()
            self.globe.look_at(float(lat[0]), float(lon[0]), distance)

    def fly_to_object(self, ref: ObjectRef) -> None:
        """Fly the camera to an object (double-click in the explorer)."""
        point = self.object_position(ref)
        if point is None and ref.kind == "customer" and self.data is not None:
            sites = [s for s in self.data.sites if s["customer_id"] == ref.key]
            if sites:
                point = self.object_position(ObjectRef("site", int(sites[0]["id"])))
        if point is None:
            return
        lat, lon, _ = geodetic_from_ecef(np.asarray(point, float).reshape(1, 3) * WGS84_A_KM)
        self.view.fly_to(float(lat[0]), float(lon[0]), 4.0)

    # -- picking -------------------------------------------------------------------
    def candidates(self) -> list[tuple[str, NDArray[np.float64], list[int | str]]]:
        """(kind, scene points, keys) of every pickable, visible kind of object."""
        data = self.data
        out: list[tuple[str, NDArray[np.float64], list[int | str]]] = []
        if data is None:
            return out
        ground = self.globe.ground
        if ground is not None:
            for style, kind, rows in ground_groups(data):
                if ground.is_shown(style):
                    points = ground.positions[style].astype(float)
                    out.append((kind, points, [r["id"] for r in rows]))
        if self.globe.satellites.markers.visible:
            keys: list[int | str] = [int(v) for v in data.elements.norad_ids]
            out.append(("satellite", self.positions / WGS84_A_KM, keys))
        return out

    def object_at(self, x: float, y: float) -> ObjectRef | None:
        """The visible object nearest to canvas pixel (x, y), within a few pixels."""
        best: tuple[float, ObjectRef] | None = None
        for kind, points, keys in self.candidates():
            hit = self.globe.nearest(x, y, points)
            if hit is not None and (best is None or hit[1] < best[0]):
                best = (hit[1], ObjectRef(kind, keys[hit[0]]))
        return best[1] if best else None

    def pick(self, x: float, y: float) -> None:
        """Select what is under a click (clicking empty space keeps the selection)."""
        ref = self.object_at(x, y)
        if ref is not None:
            self.selection.select(ref)

    def _unhover(self) -> None:
        """The pointer left the globe: no hover label stays behind."""
        overlay = self.globe.overlay
        if overlay is not None:
            overlay.set_hover(None, "")
            self.globe.canvas.update()

    def _hover(self, x: float, y: float) -> None:
        overlay = self.globe.overlay
        if overlay is None:
            return
        ref = self.object_at(x, y)
        overlay.set_hover(self.object_position(ref), self.label_of(ref) if ref else "")
        self.globe.canvas.update()


def ground_groups(data: ConsoleData) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(marker style of ``GROUND_STYLES``, selection kind, rows) of every ground object:
    planned gateways and PoPs have their own, dimmer style."""

    def split(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        planned = [r for r in rows if r.get("status") == "planned"]
        return [r for r in rows if r.get("status") != "planned"], planned

    live_gateways, planned_gateways = split(data.gateways)
    live_pops, planned_pops = split(data.pops)
    return [
        ("site", "site", data.sites),
        ("gateway", "gateway", live_gateways),
        ("gateway:planned", "gateway", planned_gateways),
        ("pop", "pop", live_pops),
        ("pop:planned", "pop", planned_pops),
        *((f"region:{p}", "region", [r for r in data.regions if r["provider"] == p])
          for p in ("azure", "aws")),
    ]  # fmt: skip
