"""Run the benchmarks: ``python -m benchmarks [--quick] [--only NAME ...]``.

Prints min/median of repeated runs and the ratios measured in the same run, and writes
them with the machine description to ``benchmarks/results/<UTC date-time>.json``.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.scenarios import ALL, REPEATS, load_elements
from benchmarks.timing import Timing, machine, ms


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=sorted(ALL), help="run only these")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (for a smoke run)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    info = machine()
    elements, label = load_elements()
    print(
        f"opsconsole benchmarks, {info['date_utc']}, {info['cpu']}, {info['cores']} cores, "
        f"Python {info['python']}, sgp4 {info['sgp4']} (accelerated: {info['sgp4_accelerated']})"
    )
    print(f"elements: {len(elements)} satellites, {label}\n")
    report: dict[str, object] = {"machine": info, "elements": label, "results": {}}
    for name in args.only or list(ALL):
        repeats = 2 if args.quick else REPEATS[name]
        result = ALL[name](elements, repeats)
        print(f"== {name}: {ALL[name].__doc__}")
        for timing in result["timings"]:
            assert isinstance(timing, Timing)
            print(
                f"   {timing.name:<42} min {ms(timing.min)}   median {ms(timing.median)}"
                f"   ({len(timing.seconds)} runs)"
            )
        for ratio_name, value in result["ratios"].items():
            print(f"   {ratio_name:<42} {value:8.2f}x")
        for key, value in result.items():
            if key not in ("timings", "ratios"):
                print(f"   {key:<42} {value}")
        report["results"][name] = {  # type: ignore[index]
            **{k: v for k, v in result.items() if k != "timings"},
            "timings": [t.as_dict() for t in result["timings"]],
        }
        print()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=1))
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
