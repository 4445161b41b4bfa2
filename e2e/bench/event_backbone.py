"""Event backbone figures: append rate, relay throughput, append-to-projection latency.

Goals (issue 2): >= 1,000 events/s appended per service, the relay keeping up, and p99
append-to-projection latency under 1 s at a steady 500 events/s.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from snp_platform.eventstore import (
    ANY_VERSION,
    EventMetadata,
    EventStore,
    NewEvent,
    Stream,
    create_platform_schema,
)
from snp_platform.relay import Relay
from snp_platform.topics import TopicSpec, create_topics, events_topic

ROOT = Path(__file__).resolve().parents[2]
META = EventMetadata(actor="bench")
PAYLOAD = b"x" * 200  # about the size of a membership event


def fresh_database(server_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(server_url, dbname=name)
    create_platform_schema(url)
    return url


def append_rate(pool: ConnectionPool[Any], writers: int, batch: int, seconds: float) -> float:
    store = EventStore(pool)
    counts = [0] * writers
    deadline = time.monotonic() + seconds

    def write(index: int) -> None:
        stream = Stream("bench", f"w{index}-{uuid.uuid4()}")
        while time.monotonic() < deadline:
            store.append(
                stream, [NewEvent("bench.E", PAYLOAD) for _ in range(batch)], ANY_VERSION, META
            )
            counts[index] += batch

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


def relay_throughput(pool: ConnectionPool[Any], bootstrap: str, events: int) -> float:
    service = f"bench{uuid.uuid4().hex[:8]}"
    create_topics(bootstrap, [TopicSpec(events_topic(service), 3)])
    store = EventStore(pool)
    for i in range(0, events, 100):
        batch = [NewEvent("bench.E", PAYLOAD) for _ in range(100)]
        store.append(Stream("bench", f"r{i}"), batch, ANY_VERSION, META)
    relay = Relay(pool, bootstrap, service, batch_size=2000)
    started = time.monotonic()
    relayed = 0
    while relayed < events:
        relayed += relay.relay_once()
    return relayed / (time.monotonic() - started)


def projection_latency(
    server_url: str, bootstrap: str, rate: int, seconds: int, batch: int
) -> dict[str, float]:
    """Append `rate` events/s in appends of `batch` events; the relay and a projection run in
    another process; latency is from an event's occurred_at to its projection row's commit."""
    url = fresh_database(server_url)
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TABLE bench_latency (event_id uuid PRIMARY KEY,"
            " occurred_at timestamptz NOT NULL, applied_at timestamptz NOT NULL)"
        )
    service = f"bench{uuid.uuid4().hex[:8]}"
    create_topics(bootstrap, [TopicSpec(events_topic(service), 3)])
    command = [sys.executable, "-m", "e2e.bench.projection_worker", url, bootstrap, service]
    worker = subprocess.Popen(command, cwd=ROOT)
    total = rate * seconds
    try:
        with ConnectionPool(url, min_size=1, max_size=2) as pool:
            store = EventStore(pool)
            time.sleep(5)  # let the consumer join its group before the clock starts
            started = time.monotonic()
            for i in range(total // batch):
                time.sleep(max(0.0, started + i * batch / rate - time.monotonic()))
                events = [NewEvent("bench.E", PAYLOAD) for _ in range(batch)]
                store.append(Stream("bench", f"l{i % 100}"), events, ANY_VERSION, META)
            achieved = total / (time.monotonic() - started)
            with pool.connection() as conn:
                while conn.execute("SELECT count(*) FROM bench_latency").fetchone() != (total,):
                    time.sleep(0.2)
                row = conn.execute(
                    "SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP"
                    " (ORDER BY extract(epoch FROM applied_at - occurred_at)),"
                    " max(extract(epoch FROM applied_at - occurred_at)) FROM bench_latency"
                ).fetchone()
    finally:
        worker.terminate()
        worker.wait(30)
    assert row is not None
    return {"rate": achieved, "p50": row[0][0], "p99": row[0][1], "max": float(row[1])}


def run(server_url: str, bootstrap: str) -> None:
    print("== event backbone (synchronous_commit on) ==")
    with ConnectionPool(fresh_database(server_url), min_size=4, max_size=4) as pool:
        for writers in (1, 4):
            for batch in (1, 10):
                rate = append_rate(pool, writers, batch, seconds=5)
                print(f"append: {writers} writer(s), batch {batch:>2}: {rate:8.0f} events/s")
        print(f"relay: {relay_throughput(pool, bootstrap, 20_000):8.0f} events/s confirmed")
    latency = projection_latency(server_url, bootstrap, rate=500, seconds=20, batch=5)
    p50, p99, worst = (latency[k] * 1000 for k in ("p50", "p99", "max"))
    print(
        f"append-to-projection at {latency['rate']:.0f} events/s in appends of 5"
        f" (relay + consumer in another process): p50 {p50:.1f} ms, p99 {p99:.1f} ms,"
        f" max {worst:.1f} ms"
    )
