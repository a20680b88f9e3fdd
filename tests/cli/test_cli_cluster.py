"""``plan create --cluster`` on a real Dask scheduler and two workers, each a separate
process on 127.0.0.1 started here: the same plan as on this machine, byte for byte,
and a worker killed mid-run has its part run again elsewhere."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="Dask is the optional [cluster] extra")

START = "2026-11-24T12:00Z"
STARTUP_S = 60.0


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
                            stdout=out, stderr=subprocess.STDOUT)  # fmt: skip


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _worker(address: str, name: str, log: Path) -> subprocess.Popen[bytes]:
    options = ("--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1")
    return _dask("worker", address, *options, "--name", name, log=log)


class Cluster:
    def __init__(self, address: str, workers: list[subprocess.Popen[bytes]]) -> None:
        self.address, self.workers = address, workers


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """``dask scheduler`` and two ``dask worker`` processes (no nanny: a killed worker
    stays dead), on 127.0.0.1, stopped after the test."""
    from distributed import Client

    file = tmp_path / "scheduler.json"
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                      "--scheduler-file", str(file), log=tmp_path / "scheduler.log")  # fmt: skip
    processes = [scheduler]
    try:
        deadline = time.monotonic() + STARTUP_S
        while not file.is_file() and time.monotonic() < deadline and scheduler.poll() is None:
            time.sleep(0.1)
        assert file.is_file(), (tmp_path / "scheduler.log").read_text()
        address = json.loads(file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [_worker(address, f"w{i}", tmp_path / f"worker{i}.log") for i in range(2)]
        processes += workers
        with Client(address, timeout=STARTUP_S) as client:
            client.wait_for_workers(2, timeout=STARTUP_S)
        yield Cluster(address, workers)
    finally:
        _stop(processes[::-1])


def _arrays(db: Path, plan_id: int) -> dict[str, Any]:
    from opsconsole.store.database import Store
    from opsconsole.store.plan_repository import load_plan

    with Store(db) as store:
        return load_plan(store, plan_id).arrays


def test_plan_create_on_a_scheduler_and_two_workers_equals_the_local_plan(  # type: ignore[no-untyped-def]
    run, db_path: Path, cluster: Cluster
) -> None:
    common = ("plan", "create", "--start", START, "--hours", "2", "--step", "60",
              "--handover", "rtt", "--format", "json")  # fmt: skip
    here = run(*common, "--name", "here", "--workers", "1")
    assert here.code == 0, here.err
    there = run(*common, "--name", "there", "--cluster", cluster.address)
    assert there.code == 0, there.err
    assert f"planning on Dask {cluster.address} (2 workers)" in there.err
    assert "2 of 2 parts done" in there.err
    a = _arrays(db_path, json.loads(here.out)["id"])
    b = _arrays(db_path, json.loads(there.out)["id"])
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].tobytes() == b[name].tobytes(), name


def test_a_worker_killed_mid_run_has_its_part_run_again(
    synthetic_elements: Any, cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opsconsole.core.catalog import demo_sites, embedded_network
    from opsconsole.jobs.dask_executor import DaskExecutor
    from opsconsole.planning import planner
    from opsconsole.planning.inputs import build_inputs
    from opsconsole.planning.parameters import PlanParameters

    monkeypatch.setattr(planner, "PART_S", 1800.0)  # 4 parts of 120 slots
    params = PlanParameters(start=datetime(2026, 5, 13, 6, tzinfo=UTC), duration_s=7200.0,
                            step_s=15.0, handover_policy="rtt")  # fmt: skip
    inputs = build_inputs(demo_sites(), embedded_network(), params)
    here = planner.plan(synthetic_elements, inputs, params)
    out: dict[str, Any] = {}
    with DaskExecutor(cluster.address) as executor:

        def work() -> None:
            try:
                out["plan"] = planner.plan(synthetic_elements, inputs, params, executor=executor)
            except BaseException as error:  # reported below
                out["error"] = error

        thread = threading.Thread(target=work)
        thread.start()
        deadline, victim = time.monotonic() + 60.0, None
        while victim is None and time.monotonic() < deadline:
            busy = [w for w, keys in executor.client.processing().items() if keys]
            info = executor.client.scheduler_info()["workers"]
            names = {address: worker["name"] for address, worker in info.items()}
            if busy:
                victim = int(str(names[busy[0]])[1:])
            time.sleep(0.02)
        assert victim is not None, "no part started on the cluster"
        os.kill(cluster.workers[victim].pid, signal.SIGKILL)
        thread.join(timeout=240)
        assert not thread.is_alive()
    assert "error" not in out, out.get("error")
    for name in planner.RESULT_ARRAYS:
        assert getattr(here, name).tobytes() == getattr(out["plan"], name).tobytes(), name
    assert cluster.workers[victim].wait(timeout=5) == -signal.SIGKILL
