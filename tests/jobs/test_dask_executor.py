"""Plans on Dask: a ``LocalCluster`` gives the local plan byte for byte, a cancel
cancels the cluster's tasks, and the console says what to install without Dask."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.element_sets import ElementSet
from opsconsole.jobs.cancel import Cancelled
from opsconsole.jobs.dask_executor import (
    ClusterError,
    ClusterSpec,
    DaskExecutor,
    parse_cluster,
)
from opsconsole.planning import planner
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters

pytest.importorskip("distributed", reason="Dask is the optional [cluster] extra")

START = datetime(2026, 5, 13, 6, 0, tzinfo=UTC)


def sleepy(seconds: float, lo: int, hi: int) -> int:
    time.sleep(seconds)
    return lo


@pytest.fixture(scope="module")
def local2() -> Iterator[DaskExecutor]:
    with DaskExecutor("local:2") as executor:
        yield executor


def test_cluster_addresses_are_checked() -> None:
    assert parse_cluster("local:3") == ClusterSpec(None, 3)
    assert parse_cluster("tcp://127.0.0.1:8786") == ClusterSpec("tcp://127.0.0.1:8786", 0)
    assert parse_cluster(" tcp://sched.example.net:8786 ").address == "tcp://sched.example.net:8786"
    for bad in ("local:0", "local:999", "local:x", "127.0.0.1:8786", "tcp://host", "tcp://h:99999"):
        with pytest.raises(ValueError, match="--cluster"):
            parse_cluster(bad)


def test_no_scheduler_at_the_address_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("opsconsole.jobs.dask_executor.CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(ClusterError, match=r"no Dask scheduler answers at tcp://127\.0\.0\.1:9"):
        DaskExecutor("tcp://127.0.0.1:9")


def test_without_dask_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(ClusterError, match=r"pip install 'opsconsole\[cluster\]'"):
        DaskExecutor("local:2")


def test_a_local_cluster_plans_the_local_plan_byte_for_byte(
    synthetic_elements: ElementSet, local2: DaskExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four parts of 30 slots (rtt: warmed up and stitched) on two Dask workers."""
    monkeypatch.setattr(planner, "PART_S", 1800.0)
    monkeypatch.setattr(planner, "MIN_SLOTS_PER_PART", 20)
    params = PlanParameters(start=START, duration_s=7200.0, step_s=60.0, handover_policy="rtt")
    inputs = build_inputs(demo_sites(), embedded_network(), params)
    here = planner.plan(synthetic_elements, inputs, params)
    seen: list[str] = []
    there = planner.plan(
        synthetic_elements, inputs, params, executor=local2, progress=lambda f, s: seen.append(s)
    )
    for name in planner.RESULT_ARRAYS:
        assert getattr(here, name).tobytes() == getattr(there, name).tobytes(), name
    assert "4 parts on Dask local:2 (2 workers)" in seen[0]
    assert seen[-1].startswith("4 of 4 parts done (tcp://127.0.0.1:")
    # the inputs went once to each worker, the results came back once each
    assert local2.bytes_scattered > 0
    assert local2.bytes_returned >= sum(getattr(there, n).nbytes for n in planner.RESULT_ARRAYS)


def test_cancelling_cancels_the_cluster_tasks(local2: DaskExecutor) -> None:
    begun = time.monotonic()
    parts = [(i, i + 1) for i in range(20)]  # 20 x 1 s on 2 workers: 10 s if not cancelled
    with pytest.raises(Cancelled):
        for _ in local2.run_parts(sleepy, 1.0, parts, lambda: time.monotonic() - begun > 1.5):
            pass
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        processing = local2.client.processing()
        if not any(processing.values()):
            break
        time.sleep(0.1)
    assert not any(local2.client.processing().values())
    assert time.monotonic() - begun < 6.0


def test_a_failing_part_raises_on_the_client(local2: DaskExecutor) -> None:
    from tests.jobs.test_part_executor import PARTS, fail_on_second

    with pytest.raises(ValueError, match=r"part 10\.\.25 is bad"):
        list(local2.run_parts(fail_on_second, 0, PARTS))


def test_a_contingency_study_on_dask_equals_the_local_one(
    synthetic_elements: ElementSet, local2: DaskExecutor
) -> None:
    from opsconsole.core.constellation_structure import constellation_structure
    from opsconsole.jobs.part_executor import InProcess
    from opsconsole.planning.contingency import contingencies
    from opsconsole.planning.contingency_runs import (
        baseline,
        new_job,
        run_study,
        with_contingencies,
    )

    params = PlanParameters(start=START, duration_s=1800.0, step_s=60.0)
    inputs = build_inputs(demo_sites(), embedded_network(), params)
    job = new_job(synthetic_elements, inputs, params, ())
    _, base = baseline(job)
    structure = constellation_structure(synthetic_elements, START)
    found = contingencies(base, inputs, synthetic_elements.norad_ids, structure, ["gateway"])
    job = with_contingencies(job, found[:8])
    assert run_study(job, local2) == run_study(job, InProcess())


def test_a_part_the_cluster_cancels_is_submitted_again(
    local2: DaskExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dask cancels the dependents of scattered data it lost with a worker (CI saw a
    FuturesCancelledError after a worker was killed): such a part runs again."""
    from distributed import Future

    again = []
    original = DaskExecutor._again

    def spy(self: DaskExecutor, *args: object) -> object:
        again.append(args[4])
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(DaskExecutor, "_again", spy)
    parts = local2.run_parts(sleepy, 0.5, [(0, 1), (10, 11), (20, 21)])
    first = next(parts)  # every part is submitted by now
    victim = next(k for k in local2.client.who_has() if "opsconsole-part" in str(k)
                  and not str(k).endswith(str(first[0].index)))  # fmt: skip
    local2.client.cancel([Future(victim, local2.client)], force=True)
    got = sorted([first[1], *(r for _, r in parts)])
    assert got == [0, 10, 20] and len(again) == 1
