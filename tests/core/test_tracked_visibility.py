"""Tracked visibility over a run of instants against brute force at every instant."""

from __future__ import annotations

import numpy as np

from opsconsole.core.horizon import HorizonProfile, Horizons
from opsconsole.core.look_angles import Sites, look_angles
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.core.tracked_visibility import (
    SatelliteRun,
    seen_throughout,
    tracked_visibility,
)
from opsconsole.core.visibility import visible_satellites

from ..conftest import SAMPLE_TIME


def _sites(count: int, seed: int) -> Sites:
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, count)))
    return Sites.from_geodetic(lat, rng.uniform(-180, 180, count), rng.uniform(0, 3, count))


def _run(elements, seconds: list[float]):  # type: ignore[no-untyped-def]
    return propagate(elements, times_from(SAMPLE_TIME, seconds), velocities=False).position_km


def _horizons(count: int) -> Horizons:
    masks = np.random.default_rng(5).uniform(10, 45, count)
    north_wall = HorizonProfile((0.0, 60.0, 300.0), (70.0, 0.0, 0.0))
    profiles = [north_wall if i % 3 == 0 else None for i in range(count)]
    return Horizons.of(list(masks), profiles)


def test_every_instant_equals_brute_force_with_masks_and_profiles(sample_elements) -> None:  # type: ignore[no-untyped-def]
    sites = _sites(150, seed=11)
    horizons = _horizons(len(sites))
    positions = _run(sample_elements, [0.0, 15.0, 30.0, 45.0, 60.0])
    pairs = tracked_visibility(sites, SatelliteRun.of(positions), horizons)
    assert pairs.visible.any(axis=0).all()  # no pair that is never in view
    keys = pairs.site * len(sample_elements) + pairs.satellite
    assert (np.diff(keys) > 0).all()  # site-major, then satellite
    for t in range(positions.shape[1]):
        at = visible_satellites(sites, positions[:, t], horizons)
        ours = pairs.visible[t]
        np.testing.assert_array_equal(
            np.c_[pairs.site[ours], pairs.satellite[ours]], np.c_[at.site, at.satellite]
        )
        np.testing.assert_allclose(pairs.range_km[t][ours], at.range_km, rtol=0, atol=1e-9)
    # and against the dense look angles (no KD-tree at all), mask only
    _, elevation, _ = look_angles(sites, positions[:, 2])
    dense = elevation >= horizons.mask_deg[:, None]
    plain = tracked_visibility(sites, SatelliteRun.of(positions), horizons.mask_deg)
    np.testing.assert_array_equal(
        np.c_[plain.site[plain.visible[2]], plain.satellite[plain.visible[2]]], np.argwhere(dense)
    )


def test_a_failed_satellite_is_out_for_the_whole_run(sample_elements) -> None:  # type: ignore[no-untyped-def]
    sites = Sites.from_geodetic([47.0], [8.0])
    positions = _run(sample_elements, [0.0, 30.0, 60.0]).copy()
    pairs = tracked_visibility(sites, SatelliteRun.of(positions), 25.0)
    victim = int(pairs.satellite[0])
    positions[victim, 1] = np.nan
    again = tracked_visibility(sites, SatelliteRun.of(positions), 25.0)
    assert victim not in set(again.satellite.tolist())
    assert len(again) == len(pairs) - 1


def test_seen_throughout_equals_brute_force_in_full_and_empty_skies(sample_elements) -> None:  # type: ignore[no-untyped-def]
    # random places, the poles (sparse sky for Starlink) and 80 deg masks: the nearest
    # satellites are not always enough, so the full search runs too
    sites = Sites.from_geodetic(
        np.r_[np.linspace(-89.0, 89.0, 60), 90.0, -90.0],
        np.r_[np.linspace(-179.0, 179.0, 60), 0.0, 0.0],
    )
    masks = np.where(np.arange(len(sites)) % 4 == 0, 80.0, 25.0)
    horizons = Horizons.of(list(masks))
    seconds = [0.0, 15.0, 30.0, 45.0, 60.0]
    positions = _run(sample_elements, seconds)
    which = np.arange(len(sites))
    ours = seen_throughout(sites, which, SatelliteRun.of(positions), horizons)
    for j in range(len(seconds) - 1):
        a = visible_satellites(sites, positions[:, j], horizons)
        b = visible_satellites(sites, positions[:, j + 1], horizons)
        both = set(zip(a.site.tolist(), a.satellite.tolist(), strict=True))
        both &= set(zip(b.site.tolist(), b.satellite.tolist(), strict=True))
        expected = np.zeros(len(sites), dtype=bool)
        expected[[s for s, _ in both]] = True
        np.testing.assert_array_equal(ours[j], expected)
    assert ours.all(axis=0).sum() < len(sites)  # some site lacks a satellite sometimes
    assert ours.any()


def test_runs_need_no_speed_assumption(sample_elements) -> None:  # type: ignore[no-untyped-def]
    """A run two minutes long (satellites move ~900 km) still finds every pair."""
    sites = _sites(40, seed=2)
    seconds = [0.0, 60.0, 120.0]
    positions = _run(sample_elements, seconds)
    run = SatelliteRun.of(positions)
    assert run.moved_km > 400.0
    pairs = tracked_visibility(sites, run, 25.0)
    for t in range(len(seconds)):
        at = visible_satellites(sites, positions[:, t], 25.0)
        assert int(pairs.visible[t].sum()) == len(at)


def test_chunks_of_pairs_give_the_same_pairs_as_one_chunk(sample_elements, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.core import tracked_visibility as module

    sites = _sites(400, seed=3)
    run = SatelliteRun.of(_run(sample_elements, [0.0, 15.0, 30.0, 45.0]))
    whole = tracked_visibility(sites, run, 25.0)
    monkeypatch.setattr(module, "CHUNK_PAIRS", 997)  # many chunks, none aligned to a site
    chunked = tracked_visibility(sites, run, 25.0)
    assert len(whole) > 5 * 997
    for name in ("site", "satellite", "visible", "range_km"):
        np.testing.assert_array_equal(getattr(chunked, name), getattr(whole, name))
