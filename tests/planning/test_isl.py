"""Inter-satellite links: the +grid mesh, shortest routes, and planning through it."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from opsconsole.core.catalog import CustomerSite, SiteSpec, embedded_network
from opsconsole.core.constellation_structure import constellation_structure
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at
from opsconsole.planning.assignment import NO_GATEWAY, SERVED
from opsconsole.planning.inputs import build_inputs, great_circle_km
from opsconsole.planning.isl import IslMesh
from opsconsole.planning.parameters import SPEED_OF_LIGHT_KM_S, PlanParameters
from opsconsole.planning.planner import plan
from tests.conftest import SYNTHETIC_EPOCH

T0 = SYNTHETIC_EPOCH + timedelta(hours=3)


def _mesh(elements):  # type: ignore[no-untyped-def]
    eph = propagate(elements, time_at(T0))
    structure = constellation_structure(elements, T0)
    return IslMesh.build(structure, eph.position_km[:, 0], eph.velocity_km_s[:, 0]), eph, structure


def test_plus_grid_links_four_neighbours_at_plausible_lengths(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    mesh, eph, structure = _mesh(synthetic_elements)
    degree = np.bincount(np.r_[mesh.a, mesh.b], minlength=mesh.n)
    shell = structure.shell_labels.index("53.0° / 550 km")
    members = structure.shell == shell
    assert np.median(degree[members]) == 4 and degree[members].min() >= 3
    pos = eph.position_km[:, 0]
    same_plane = (
        (structure.plane[mesh.a] == structure.plane[mesh.b])
        & (structure.shell[mesh.a] == shell)
        & (structure.shell[mesh.b] == shell)
    )
    length = np.linalg.norm(pos[mesh.a[same_plane]] - pos[mesh.b[same_plane]], axis=1)
    radius = np.linalg.norm(pos[members], axis=1).mean()
    expected = 2 * radius * np.sin(np.pi / 22)  # 22 satellites per plane
    assert np.abs(length / expected - 1).max() < 0.02


def test_routes_reach_the_nearest_exit(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    mesh, eph, _ = _mesh(synthetic_elements)
    pos = eph.position_km[:, 0]
    exits = np.array([mesh.a[0]])
    ok = np.ones(mesh.n, dtype=bool)
    dist, exit_of = mesh.routes(pos, pos, exits, ok, 80.0)
    assert dist[exits[0]] == 0 and exit_of[exits[0]] == exits[0]
    neighbour = mesh.b[0]
    assert np.isclose(dist[neighbour], np.linalg.norm(pos[neighbour] - pos[exits[0]]))
    # every reachable satellite's route is at least the straight line to the exit
    reach = np.isfinite(dist)
    straight = np.linalg.norm(pos[reach] - pos[exits[0]], axis=1)
    assert (dist[reach] >= straight - 1e-6).all() and reach.sum() > 1000
    # taking the exit itself out of service leaves nothing reachable through it
    ok[exits[0]] = False
    dist, _ = mesh.routes(pos, pos, exits, ok, 80.0)
    assert not np.isfinite(dist[neighbour])


def test_a_site_far_from_gateways_is_served_through_the_mesh(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    site = CustomerSite(1, "c", SiteSpec("Pacific atoll", -10.0, -140.0, max_rtt_ms=200.0))
    network = embedded_network()
    bent = PlanParameters(step_s=60.0, start=T0, duration_s=600.0)
    isl = PlanParameters(step_s=60.0, start=T0, duration_s=600.0, mode="isl")
    inputs = build_inputs([site], network, bent)
    assert (plan(synthetic_elements, inputs, bent).status == NO_GATEWAY).all()
    result = plan(synthetic_elements, inputs, isl)
    assert (result.status == SERVED).all()
    nearest_km = great_circle_km(
        np.array([-10.0]),
        np.array([-140.0]),
        np.array([g.lat for g in network.gateways]),
        np.array([g.lon for g in network.gateways]),
    ).min()
    assert (result.rtt_ms > 2 * nearest_km / SPEED_OF_LIGHT_KM_S * 1000).all()
