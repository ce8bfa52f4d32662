"""Each benchmark at 1 % scale, as CI runs it: it must run and print its JSON lines. No timing
is asserted here (tests/bot/test_bulk_import.py holds the one that is)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "bench",
    "what",
    "backend",
    "rows",
    "seconds",
    "floor_seconds",
    "ratio",
    "peak_memory_mb",
}


def run_bench(module: str, *args: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", module, "--scale", "0.01", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(params=["sqlite", "postgresql"])
def bench_backend(request: pytest.FixtureRequest) -> list[str]:
    if request.param == "sqlite":
        return ["--backend", "sqlite"]
    server = request.getfixturevalue("postgres_server")
    return ["--backend", "postgresql", "--postgres-url", server]


def test_the_import_bench_prints_one_json_line_per_result(bench_backend: list[str]) -> None:
    results = run_bench("bench.imports", *bench_backend)

    assert [(r["bench"], r["what"], r["backend"], r["rows"]) for r in results] == [
        ("imports", "roster", bench_backend[1], 1000),
        ("imports", "attendance", bench_backend[1], 1000),
    ]
    for result in results:
        assert set(result) == KEYS
        assert result["seconds"] > 0 and result["floor_seconds"] > 0
        assert result["peak_memory_mb"] > 0


def test_the_morning_benchmark_runs_at_one_percent(bench_backend: list[str]) -> None:
    results = run_bench("bench.morning", "--pupils", "10000", "100000", *bench_backend)
    assert [(r["job"], r["pupils_per_school"]) for r in results] == [
        ("roll-call", 100),
        ("unreported-absences", 100),
        ("roll-call", 1000),
        ("unreported-absences", 1000),
    ]
    for result in results:
        assert {
            "seconds",
            "cpu_seconds",
            "statements",
            "floor_seconds",
            "ratio",
            "peak_memory_mb",
        } <= set(result)
        assert result["backend"] == bench_backend[1]
    assert results[-1]["queued"] > 0


def test_the_nightly_benchmark_runs_at_one_percent(bench_backend: list[str]) -> None:
    results = run_bench("bench.nightly", "--country", "SE", "NO", *bench_backend)
    assert [(r["country"], r["night"], r["pupils"]) for r in results] == [
        ("SE", "first", 1000),
        ("SE", "next", 1000),
        ("NO", "first", 1000),
        ("NO", "next", 1000),
    ]
    for result in results:
        assert {"seconds", "cpu_seconds", "statements", "floor_seconds", "ratio"} <= set(result)
        assert {"hits", "new_hits", "updated_hits", "held_on", "uses_stored"} <= set(result)
        assert "peak_memory_mb" in result
        assert result["backend"] == bench_backend[1]
        assert result["marks"] > 10000
        # The ratio is of the unrounded times.
        assert result["ratio"] == pytest.approx(
            result["seconds"] / result["floor_seconds"], rel=0.05, abs=0.1
        )
        assert result["peak_memory_mb"] >= result["memory_before_mb"] > 0
    se_first, se_next, no_first, no_next = results
    # Norway's rules hit many pupils: the first night stores every day they used, the next
    # only the days not used already.
    assert no_first["hits"] > 5 * se_first["hits"] > 0
    assert no_first["uses_stored"] >= no_first["hits"]
    assert 0 < no_next["uses_stored"] < no_first["uses_stored"] / 10
    # A rolling window starts a day later: its hits are new. A term's hits that held the night
    # before hold on unwritten (or are updated in place where their numbers changed), and the
    # few that hold for the first time are new.
    assert se_next["new_hits"] == se_next["hits"]
    assert no_first["new_hits"] == no_first["hits"] and no_first["updated_hits"] == 0
    assert 0 < no_next["new_hits"] < no_next["hits"] / 10
    assert no_next["held_on"] > no_next["hits"] / 2
    assert no_next["new_hits"] + no_next["updated_hits"] + no_next["held_on"] == no_next["hits"]
    assert results[0]["hits"] > 0


def test_the_conversation_benchmark_runs_at_one_percent(bench_backend: list[str]) -> None:
    results = run_bench("bench.conversations", *bench_backend)
    assert [r["what"] for r in results] == ["floor_a", "floor_b", "floor_c", "narvaro"]
    for result in results:
        assert result["backend"] == bench_backend[1]
        assert result["updates"] == 20 * 7
        assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
        assert result["updates_per_s"] > 0 and result["peak_memory_mb"] > 0
    narvaro = results[-1]
    # Every guardian's report went through to its receipt, on the hot path's budget.
    assert narvaro["reports"] == 20
    assert narvaro["statements_per_update"] == round((6 * 2 + 5) / 7, 2)
    assert {"ratio_a", "ratio_b", "ratio_c", "bot_api_calls_per_update"} <= set(narvaro)


def test_the_dispatch_benchmark_runs_at_one_percent(bench_backend: list[str]) -> None:
    (result,) = run_bench("bench.dispatch", *bench_backend)
    assert result["backend"] == bench_backend[1]
    assert result["messages"] > 0 and result["sent_per_s"] > 0
    # Whatever the machine's speed: every message taken once, none twice.
    assert (result["lost"], result["duplicated"]) == (0, 0)
    assert {"refused_429", "share_of_limit", "limit_per_s", "peak_memory_mb"} <= set(result)
