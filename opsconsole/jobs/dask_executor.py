"""Parts of a job on a Dask cluster (``dask.distributed``, the optional extra
``opsconsole[cluster]``): a scheduler at ``tcp://host:port`` or a ``LocalCluster`` of
N worker processes started here (``local:N``).

The job's shared value is scattered once to every worker (``broadcast``), each part is
one task that gets a reference to it, and only the parts' results come back. A worker
lost mid-run has its tasks run again elsewhere by the scheduler; cancelling cancels
every task of the run that is still queued or running.
"""

from __future__ import annotations

import pickle
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from opsconsole.jobs.cancel import Cancelled
from opsconsole.jobs.part_executor import PartDone

S = TypeVar("S")
R = TypeVar("R")

INSTALL_HINT = "pip install 'opsconsole[cluster]'"
LOCAL_WORKERS_MAX = 64
CONNECT_TIMEOUT_S = 10.0
MAX_RESUBMITS = 3
"""How often a part the cluster lost is submitted again before the run fails."""
POLL_S = 0.05


class ClusterError(RuntimeError):
    """A cluster that cannot be used: Dask missing, no scheduler at the address,
    workers without opsconsole. The message says what to do."""


@dataclass(frozen=True)
class ClusterSpec:
    """``local:N`` (``workers`` = N, ``address`` None) or a scheduler address."""

    address: str | None
    workers: int

    @property
    def label(self) -> str:
        return f"local:{self.workers}" if self.address is None else self.address


def parse_cluster(text: str, option: str = "--cluster") -> ClusterSpec:
    """``local:N`` or ``tcp://host:port``; ``ValueError`` naming ``option`` and what is
    wrong."""
    text = text.strip()
    local = re.fullmatch(r"local:(\d+)", text)
    if local:
        workers = int(local.group(1))
        if not 1 <= workers <= LOCAL_WORKERS_MAX:
            raise ValueError(f"{option} {text}: local workers must be 1-{LOCAL_WORKERS_MAX}")
        return ClusterSpec(None, workers)
    remote = re.fullmatch(r"(tcp|tls)://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})", text)
    if remote and 0 < int(remote.group(3)) < 65536:
        return ClusterSpec(text, 0)
    raise ValueError(
        f"{option} {text!r}: give a Dask scheduler as tcp://host:port "
        "(for example tcp://127.0.0.1:8786) or local:N for N local worker processes"
    )


def _require_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        if getattr(sys, "frozen", False):
            raise ClusterError(
                "the packaged console plans on this machine only (Dask is not in the "
                f"installer): run opsconsole from a Python install after {INSTALL_HINT}"
            ) from error
        raise ClusterError(
            f"planning on a Dask cluster needs Dask distributed, not installed: {INSTALL_HINT}"
        ) from error
    return distributed


def _opsconsole_version() -> str:
    """Run on each worker: which opsconsole it imports."""
    from opsconsole import __version__

    return __version__


class DaskExecutor:
    """Runs parts as Dask tasks. Use as a context manager: a ``local:N`` cluster is
    stopped, a remote scheduler's client disconnected, on exit."""

    def __init__(self, spec: ClusterSpec | str) -> None:
        self.spec = parse_cluster(spec) if isinstance(spec, str) else spec
        distributed = _require_distributed()
        self._cluster: Any = None
        if self.spec.address is None:
            self._cluster = distributed.LocalCluster(
                n_workers=self.spec.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # no fixed port: clusters can coexist
                silence_logs=40,  # errors only: a plan's output stays readable
            )
            address = self._cluster.scheduler_address
        else:
            address = self.spec.address
        try:
            self.client: Any = distributed.Client(address, timeout=CONNECT_TIMEOUT_S)
        except OSError as error:
            self.close()
            raise ClusterError(f"no Dask scheduler answers at {address}: {error}") from error
        self.bytes_scattered = 0
        """Pickled size of the last run's shared value times the workers it went to."""
        self.bytes_returned = 0
        """Sum of the last run's results' sizes (``dask.sizeof``)."""
        try:
            self._check_workers()
        except ClusterError:
            self.close()  # a local cluster started here must not outlive the refusal
            raise

    def _check_workers(self) -> None:
        from opsconsole import __version__

        try:
            versions = self.client.run(_opsconsole_version)
        except Exception as error:  # a worker could not import opsconsole
            raise ClusterError(
                f"the workers of {self.spec.label} cannot run opsconsole ({error}); "
                f"install opsconsole {__version__} with its [cluster] extra on every worker"
            ) from error
        wrong = {w: v for w, v in versions.items() if v != __version__}
        if wrong:
            raise ClusterError(
                f"workers run another opsconsole than this one ({__version__}): "
                + ", ".join(f"{w} has {v}" for w, v in sorted(wrong.items()))
            )

    @property
    def slots(self) -> int:
        """Worker threads on the cluster now (at least 1)."""
        return max(1, int(sum(self.client.nthreads().values())))

    @property
    def description(self) -> str:
        workers = len(self.client.nthreads())
        return f"Dask {self.spec.label} ({workers} worker{'s' if workers != 1 else ''})"

    def run_parts(
        self,
        fn: Callable[[S, int, int], R],
        shared: S,
        parts: Sequence[tuple[int, int]],
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[tuple[PartDone, R]]:
        from dask.sizeof import sizeof

        run = uuid.uuid4().hex[:12]
        workers = len(self.client.nthreads())
        self.bytes_scattered = len(pickle.dumps(shared, protocol=5)) * workers
        self.bytes_returned = 0
        held = [self.client.scatter(shared, broadcast=True, hash=False)]
        futures = [
            self.client.submit(fn, held[0], lo, hi, key=f"opsconsole-part-{run}-{i}", pure=False)
            for i, (lo, hi) in enumerate(parts)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        resubmitted = dict.fromkeys(range(len(parts)), 0)
        pending = list(futures)
        try:
            while pending:
                if cancelled is not None and cancelled():
                    raise Cancelled
                done = [f for f in pending if f.done()]
                if not done:
                    time.sleep(POLL_S)
                    continue
                for future in done:
                    pending.remove(future)
                    if future.status == "cancelled":  # the cluster lost it with a worker
                        pending.append(self._again(fn, shared, parts, index, future, held,
                                                   resubmitted, run))  # fmt: skip
                        continue
                    where = self.client.who_has(future).get(future.key, ())
                    result = future.result()  # re-raises the task's error here
                    self.bytes_returned += int(sizeof(getattr(result, "__dict__", result)))
                    future.release()
                    yield PartDone(index[future.key], where[0] if where else "?"), result
        finally:
            if pending:  # cancelled, a part failed, Ctrl-C, or the caller stopped early
                self.client.cancel(pending, force=True)
            self.client.cancel(held, force=True)

    def _again(self, fn: Callable[[S, int, int], R], shared: S, parts: Sequence[tuple[int, int]],
               index: dict[str, int], future: Any, held: list[Any],
               resubmitted: dict[int, int], run: str) -> Any:  # fmt: skip
        """Submit a part the scheduler cancelled again (a worker died holding what it
        needed: Dask cancels dependents of scattered data it lost), with the shared
        value scattered anew; at most :data:`MAX_RESUBMITS` times per part."""
        i = index.pop(future.key)
        if resubmitted[i] >= MAX_RESUBMITS:
            raise RuntimeError(f"part {i + 1} was lost with its worker {MAX_RESUBMITS + 1} times")
        resubmitted[i] += 1
        held.append(self.client.scatter(shared, broadcast=True, hash=False))
        lo, hi = parts[i]
        key = f"opsconsole-part-{run}-{i}-again{resubmitted[i]}"
        again = self.client.submit(fn, held[-1], lo, hi, key=key, pure=False)
        index[again.key] = i
        return again

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
