"""The machine's own limits, measured in the same run as the figures they bound: pgbench on the
stack's PostgreSQL, Kafka's ProducerPerformance against its broker, `opa bench` on the policy,
and any CPU-bound call run on every core at once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from snp_stack import kafka, postgres, tools


@dataclass(frozen=True)
class PgbenchRun:
    transactions_per_second: float
    latency_ms: float  # the average, one transaction after another on each client


def parse_pgbench(output: str) -> PgbenchRun:
    tps = re.search(r"^tps = ([\d.]+) \(without initial connection time\)", output, re.M)
    latency = re.search(r"^latency average = ([\d.]+) ms", output, re.M)
    if tps is None or latency is None:
        raise ValueError(f"no tps or latency in pgbench's output: {output[-500:]}")
    return PgbenchRun(float(tps.group(1)), float(latency.group(1)))


def pgbench(database_url: str, script: str, clients: int, seconds: int) -> PgbenchRun:
    """Run `script` (pgbench's custom script language) on `clients` connections for `seconds`,
    with the pgbench that ships with the stack's own PostgreSQL."""
    program = postgres.wheel_bin_dir() / "pgbench"
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as file:
        file.write(script)
        file.flush()
        command = [str(program), "--no-vacuum", "--file", file.name, "--client", str(clients)]
        command += ["--jobs", str(min(clients, os.cpu_count() or 1)), "--time", str(seconds)]
        done = subprocess.run([*command, database_url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pgbench failed: {done.stderr.strip()[-800:]}")
    return parse_pgbench(done.stdout)


def parse_producer_performance(output: str) -> float:
    """Records per second from ProducerPerformance's steady-state summary (after the warm-up
    records), or else its last summary line."""
    steady = re.findall(r"^\d+ steady state records sent, ([\d.]+) records/sec", output, re.M)
    found = steady or re.findall(r"^\d+ records sent, ([\d.]+) records/sec", output, re.M)
    if not found:
        raise ValueError(f"no summary in ProducerPerformance's output: {output[-500:]}")
    return float(found[-1])


def producer_performance(
    bootstrap: str, topic: str, records: int, record_size: int, properties: dict[str, str]
) -> float:
    """Kafka's own producer benchmark, unthrottled: records per second, all acknowledged, over
    `records` sent after as many again for the JVM to warm up (not counted)."""
    libs = tools.ensure_kafka_tools() / "libs"
    command = [kafka.java(), "-Xmx256m", "-cp", f"{libs}/*"]
    command += ["org.apache.kafka.tools.ProducerPerformance", "--bootstrap-server", bootstrap]
    command += ["--topic", topic, "--num-records", str(2 * records), "--throughput", "-1"]
    command += ["--warmup-records", str(records)]
    command += ["--record-size", str(record_size), "--command-property"]
    command += [f"{key}={value}" for key, value in properties.items()]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"ProducerPerformance failed: {done.stderr.strip()[-800:]}")
    return parse_producer_performance(done.stdout)


@dataclass(frozen=True)
class OpaBenchRun:
    p50_ms: float
    p99_ms: float


def parse_opa_bench(output: str) -> OpaBenchRun:
    """The query's evaluation time percentiles from `opa bench --format json`."""
    extra = json.loads(output)["Extra"]
    prefix = "histogram_timer_rego_query_eval_ns_"
    return OpaBenchRun(extra[prefix + "median"] / 1e6, extra[prefix + "99%"] / 1e6)


def opa_bench(policies: Path, query: str, policy_input: dict[str, object]) -> OpaBenchRun:
    """`opa bench` with the OPA the stack serves, on the same policy folder and input."""
    opa = tools.go_tool_path("opa")
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(policy_input, file)
        file.flush()
        command = [str(opa), "bench", "--data", str(policies), "--input", file.name]
        done = subprocess.run(
            [*command, "--format", "json", query], capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"opa bench failed: {done.stderr.strip()[-800:]}")
    return parse_opa_bench(done.stdout)


def on_every_core(call: Callable[[], object], seconds: float) -> float:
    """Calls per second of `call` run by one thread per core at once (for calls that release
    the GIL while they work: argon2, hashlib, AES-GCM)."""
    cores = os.cpu_count() or 1
    counts = [0] * cores
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        while time.monotonic() < deadline:
            call()
            counts[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(cores)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)
