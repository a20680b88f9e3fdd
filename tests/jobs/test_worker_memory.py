"""The allocator fix for Dask workers: only where the nanny's variable is set."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = "from opsconsole.jobs.worker_memory import keep_freed_memory; print(keep_freed_memory())"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_thresholds_are_raised_only_under_the_nanny_setting() -> None:
    def run(env: dict[str, str]) -> str:
        done = subprocess.run([sys.executable, "-c", CHECK], env={**env, "PATH": ""},
                              capture_output=True, text=True, check=True)  # fmt: skip
        return done.stdout.strip()

    assert run({}) == "False"  # the local pool keeps glibc's own tuning
    assert run({"MALLOC_TRIM_THRESHOLD_": "65536"}) == "True"
