"""The benchmarks' shared figure/limit/ratio/goal module and the parsers of the limit tools'
output (pgbench, Kafka's ProducerPerformance, `opa bench`)."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from e2e.bench.limits import (
    on_every_core,
    parse_opa_bench,
    parse_pgbench,
    parse_producer_performance,
)
from e2e.bench.ratios import (
    Figure,
    Results,
    at_least,
    at_most,
    share_of_limit,
    within_limit,
)


def test_a_throughput_reads_as_a_share_of_its_limit() -> None:
    appends = Figure("append", 584, "events/s", 6868, "pgbench, 4 clients")
    assert appends.ratio == pytest.approx(584 / 6868)
    assert appends.ratio_text() == "8.5%"
    assert Figure("x", 3400, "/s", 4000).ratio_text() == "85%"
    assert appends.limit_text() == "pgbench, 4 clients: 6,868 events/s"


def test_a_latency_reads_as_a_multiple_of_its_limit() -> None:
    decision = Figure("opa p99", 4.3, "ms", 1.05, "opa bench p99", lower_is_better=True)
    assert decision.ratio_text() == "4.1x"
    assert decision.figure_text() == "4.30 ms"


def test_share_goal_met_and_not_met() -> None:
    goal = share_of_limit(0.5)
    assert goal.text == ">= 50% of the limit"
    assert Figure("a", 51, "/s", 100, goal=goal).goal_text() == ">= 50% of the limit: met"
    assert Figure("a", 50, "/s", 100, goal=goal).goal_text() == ">= 50% of the limit: met"
    assert Figure("a", 49, "/s", 100, goal=goal).goal_text() == ">= 50% of the limit: NOT MET"


def test_within_goal_bounds_a_latency_multiple() -> None:
    goal = within_limit(2)
    fast = Figure("p99", 2.0, "ms", 1.05, goal=goal, lower_is_better=True)
    slow = Figure("p99", 4.3, "ms", 1.05, goal=goal, lower_is_better=True)
    assert fast.goal_text() == "<= 2x the limit: met"
    assert slow.goal_text() == "<= 2x the limit: NOT MET"


def test_absolute_goals_need_no_limit() -> None:
    admissions = Figure("admit p50", 14.6, "ms", goal=at_most(5, "ms"), lower_is_better=True)
    pages = Figure("public list", 33, "pages/s", goal=at_least(500, "pages/s"))
    assert admissions.goal_text() == "<= 5 ms: NOT MET"
    assert pages.goal_text() == ">= 500 pages/s: NOT MET"
    assert Figure("p", 600, "pages/s", goal=at_least(500, "pages/s")).goal_text().endswith(": met")
    assert admissions.ratio is None and admissions.ratio_text() == "-"


def test_a_ratio_goal_without_a_limit_is_not_measured_never_met() -> None:
    unmeasured = Figure("append", 584, "events/s", None, goal=share_of_limit(0.5))
    assert unmeasured.goal_text() == ">= 50% of the limit: not measured"
    assert Figure("append", 584, "events/s", 0.0, goal=share_of_limit(0.5)).ratio is None


def test_a_figure_line_says_only_what_was_measured() -> None:
    assert Figure("tokens", 12345, "/s").line() == "tokens: 12,345 /s"
    line = Figure("sign-in", 34, "sign-ins/s", 78, "argon2id", share_of_limit(0.7)).line()
    assert line == (
        "sign-in: 34.0 sign-ins/s | limit argon2id: 78.0 sign-ins/s | ratio 44%"
        " | goal >= 70% of the limit: NOT MET"
    )


def test_the_table_has_one_row_per_figure_in_order_and_names_failures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = Results()
    results.add(Figure("append", 584, "events/s", 6868, "pgbench", share_of_limit(0.5)))
    results.add(Figure("tokens", 9000, "/s"))
    assert capsys.readouterr().out.splitlines()[0].startswith("append: 584 events/s")
    results.failed.append("messaging")
    lines = results.table().splitlines()
    assert "cores, load average" in lines[0]
    assert lines[2] == "| path | figure | limit (same machine, same run) | ratio | goal |"
    assert lines[4] == (
        "| append | 584 events/s | pgbench: 6,868 events/s | 8.5% | >= 50% of the limit: NOT MET |"
    )
    assert lines[5] == "| tokens | 9,000 /s | - | - | - |"
    assert lines[6] == "Benchmarks that failed (no figures): messaging"


PGBENCH_OUTPUT = """\
transaction type: /tmp/tmpab.sql
scaling factor: 1
query mode: simple
number of clients: 4
number of threads: 2
duration: 5 s
number of transactions actually processed: 34340
number of failed transactions: 0 (0.000%)
latency average = 0.582 ms
initial connection time = 12.345 ms
tps = 6868.123456 (without initial connection time)
"""


def test_pgbench_output_gives_tps_and_latency() -> None:
    run = parse_pgbench(PGBENCH_OUTPUT)
    assert run.transactions_per_second == pytest.approx(6868.123456)
    assert run.latency_ms == pytest.approx(0.582)
    with pytest.raises(ValueError, match="no tps"):
        parse_pgbench("pgbench: error: connection refused")


def test_producer_performance_takes_the_summary_not_the_interim_lines() -> None:
    output = (
        "48123 records sent, 9624.6 records/sec (2.20 MB/sec), 120.1 ms avg latency,"
        " 400.0 ms max latency.\n"
        "100000 records sent, 10123.4 records/sec (2.32 MB/sec), 98.7 ms avg latency,"
        " 410.0 ms max latency, 80 ms 50th, 250 ms 95th, 330 ms 99th, 400 ms 99.9th.\n"
    )
    assert parse_producer_performance(output) == pytest.approx(10123.4)
    steady = (
        "40000 records sent, 11000.000000 records/sec (3.21 MB/sec), 20.00 ms avg latency,"
        " 300.00 ms max latency, 10 ms 50th, 50 ms 95th, 90 ms 99th, 200 ms 99.9th.\n"
        "20000 steady state records sent, 15250.500000 records/sec (4.45 MB/sec), 9.00 ms avg"
        " latency, 40.00 ms max latency, 8 ms 50th, 20 ms 95th, 30 ms 99th, 38 ms 99.9th.\n"
    )
    assert parse_producer_performance(steady) == pytest.approx(15250.5)
    with pytest.raises(ValueError, match="no summary"):
        parse_producer_performance("Exception in thread main")


def test_opa_bench_json_gives_eval_percentiles_in_ms() -> None:
    extra = {
        "histogram_timer_rego_query_eval_ns_median": 466620.5,
        "histogram_timer_rego_query_eval_ns_99%": 2241453.95,
        "histogram_timer_rego_external_resolve_ns_99%": 1026.5,
    }
    run = parse_opa_bench(json.dumps({"N": 2697, "Extra": extra}))
    assert run.p50_ms == pytest.approx(0.4666205)
    assert run.p99_ms == pytest.approx(2.24145395)


def test_on_every_core_runs_one_caller_per_core_at_once() -> None:
    seen: set[int] = set()
    lock = threading.Lock()

    def call() -> None:
        with lock:
            seen.add(threading.get_ident())
        time.sleep(0.01)

    rate = on_every_core(call, 0.2)
    assert len(seen) == (os.cpu_count() or 1)
    assert rate > 0
