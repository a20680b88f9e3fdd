"""``opsconsole contingency``: run, store, show the newest, and refuse bad input."""

from __future__ import annotations

import json
from pathlib import Path

START = "2026-11-24T12:00Z"


def _plan(run) -> int:  # type: ignore[no-untyped-def]
    customer = json.loads(run("sites", "list", "--format", "json").out)[0]["customer"]
    window = ("--start", START, "--hours", "0.5", "--step", "60")
    made = run("plan", "create", "--name", "base", *window, "--customer", customer,
               "--workers", "1", "--format", "json")  # fmt: skip
    assert made.code == 0, made.err
    return int(json.loads(made.out)["id"])


def test_a_study_is_ranked_stored_and_shown_again(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.store.contingency_repository import latest_study
    from opsconsole.store.database import Store

    plan_id = _plan(run)
    done = run("contingency", str(plan_id), "--kinds", "gateway,pop", "--workers", "1",
               "--format", "json")  # fmt: skip
    assert done.code == 0, done.err
    study = json.loads(done.out)
    rows = study["elements"]
    assert rows and {r["kind"] for r in rows} <= {"gateway", "pop"}
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    lost = [r["lost_weighted_pct"] for r in rows]
    assert lost == sorted(lost, reverse=True)
    assert study["kinds"] == ["gateway", "pop"] and study["executor"] == "this process"
    with Store(db_path) as store:
        stored = latest_study(store, plan_id)
    assert stored is not None and stored.id == study["study_id"] and len(stored.rows) == len(rows)
    shown = run("contingency", str(plan_id), "--latest")
    assert shown.code == 0, shown.err
    assert f"study {study['study_id']} of plan {plan_id}" in shown.out
    assert rows[0]["label"] in shown.out


def test_bad_requests_name_what_is_wrong(run) -> None:  # type: ignore[no-untyped-def]
    bad = run("contingency", "999", "--workers", "1")
    assert bad.code == 1 and "no plan 999" in bad.err
    plan_id = _plan(run)
    bad = run("contingency", str(plan_id), "--kinds", "gateway,moon")
    assert bad.code == 1 and "--kinds 'gateway,moon': choose from gateway, pop, region, plane" in (
        bad.err
    )
    bad = run("contingency", str(plan_id), "--latest")
    assert bad.code == 1 and f"plan {plan_id} has no contingency study yet" in bad.err
    bad = run("contingency", str(plan_id), "--cluster", "8786")
    assert bad.code == 1 and "--cluster '8786': give a Dask scheduler" in bad.err
    assert "Traceback" not in bad.err
