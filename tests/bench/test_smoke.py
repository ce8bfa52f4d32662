"""Each benchmark runs at 1 % scale, as a smoke test: it must run and print its JSON lines.
No timing is asserted here; the figures are compared with their floors in the benchmark itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(module: str, *args: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", module, "--scale", "0.01", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_morning_benchmark_runs_at_one_percent() -> None:
    results = run_bench("bench.morning", "--pupils", "10000", "100000")
    assert [(r["job"], r["pupils_per_school"]) for r in results] == [
        ("roll-call", 100),
        ("unreported-absences", 100),
        ("roll-call", 1000),
        ("unreported-absences", 1000),
    ]
    for result in results:
        assert {"seconds", "statements", "floor_seconds", "ratio", "peak_memory_mb"} <= set(result)
    assert results[-1]["queued"] > 0
