"""Event backbone figures: append rate, relay throughput, append-to-projection latency, each
beside its limit on the same servers in the same run.

Appends are compared with pgbench inserting rows of the event table's shape (a copy of `events`
with its indexes and constraints) into the same database, with as many clients as writers and
as many rows per commit as events per append; the relay with Kafka's own ProducerPerformance
sending records of the relay's size with its producer settings (acks=all, idempotent, lz4).
Goals: appends >= 50 % of pgbench at 4 writers of one event each (issue 19); p99
append-to-projection latency under 1 s at a steady 500 events/s (issue 2).
"""

from __future__ import annotations

import json
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

from e2e.bench.limits import PgbenchRun, pgbench, producer_performance
from e2e.bench.ratios import Figure, Results, at_most, share_of_limit
from snp_platform.eventstore import (
    ANY_VERSION,
    EventMetadata,
    EventStore,
    NewEvent,
    Stream,
    create_platform_schema,
)
from snp_platform.eventstore.group_commit import GroupCommitAppender
from snp_platform.kafka import producer_config
from snp_platform.relay import Relay
from snp_platform.topics import TopicSpec, create_topics, events_topic

ROOT = Path(__file__).resolve().parents[2]
META = EventMetadata(actor="bench")
PAYLOAD = b"x" * 200  # about the size of a membership event
RELAYED = 20_000
# (writers, events an append, group commit): the goal is on 4 writers of one event, grouped.
APPENDS = [
    (1, 1, False),
    (1, 10, False),
    (4, 1, False),
    (4, 1, True),
    (4, 10, False),
    (4, 10, True),
]

# pgbench's rows: the event table's columns, a fresh stream per transaction, the same payload
# and metadata as the platform's appends.
_PGBENCH_TABLE = "CREATE TABLE pgbench_events (LIKE events INCLUDING ALL)"
_PGBENCH_INSERT = """INSERT INTO pgbench_events (tenant, stream_id, stream_version, event_type,
  event_id, schema_version, occurred_at, payload, metadata)
SELECT 'bench', s.id, n, 'bench.E', gen_random_uuid(), 1, now(),
  decode(repeat('78', {payload}), 'hex'), '{metadata}'::jsonb
FROM (SELECT gen_random_uuid()::text AS id) AS s, generate_series(1, {rows}) AS n;
"""


def fresh_database(server_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(server_url, dbname=name)
    create_platform_schema(url)
    return url


def append_rate(
    pool: ConnectionPool[Any], writers: int, batch: int, seconds: float, *, group: bool = False
) -> float:
    """Events per second from `writers` threads each appending `batch` events at a time to
    its own stream, one transaction an append or (`group`) through one group-commit appender."""
    store = EventStore(pool)
    appender = GroupCommitAppender(pool) if group else None
    append = appender.append if appender is not None else store.append
    counts = [0] * writers
    deadline = time.monotonic() + seconds

    def write(index: int) -> None:
        stream = Stream("bench", f"w{index}-{uuid.uuid4()}")
        while time.monotonic() < deadline:
            append(stream, [NewEvent("bench.E", PAYLOAD) for _ in range(batch)], ANY_VERSION, META)
            counts[index] += batch

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if appender is not None:
        appender.close()
        sizes = appender.batch_sizes
        grouped = sum(sizes) / max(len(sizes), 1)
        print(f"group commit, {writers} writer(s) of {batch}: {grouped:.1f} appends a commit")
    return sum(counts) / seconds


def pgbench_append(url: str, clients: int, rows: int, seconds: int) -> PgbenchRun:
    """pgbench committing `rows` rows of the event table's shape a transaction (into a copy of
    the table in the database at `url`), on `clients` connections."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS pgbench_events")
        conn.execute(_PGBENCH_TABLE)
    metadata = json.dumps(META.as_json()).replace("'", "''")
    script = _PGBENCH_INSERT.format(payload=len(PAYLOAD), metadata=metadata, rows=rows)
    return pgbench(url, script, clients, seconds)


def relay_throughput(pool: ConnectionPool[Any], bootstrap: str, events: int) -> tuple[float, int]:
    """Events per second relayed and confirmed by the broker, and the size of one record."""
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
    rate = relayed / (time.monotonic() - started)
    one = store.read_after(store.last_position() - 1, limit=1)[0]
    return rate, len(one.to_envelope(service).SerializeToString())


def producer_limit(bootstrap: str, records: int, record_size: int) -> float:
    """Kafka's ProducerPerformance with the relay's producer settings, into a fresh topic of
    the same partitions."""
    topic = f"bench.perf.{uuid.uuid4().hex[:8]}"
    create_topics(bootstrap, [TopicSpec(topic, 3)])
    settings = producer_config(bootstrap, "bench")
    keys = ("acks", "enable.idempotence", "max.in.flight.requests.per.connection", "linger.ms")
    properties = {key: str(settings[key]).lower() for key in keys}
    properties["compression.type"] = str(settings["compression.type"])
    return producer_performance(bootstrap, topic, records, record_size, properties)


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


def run(server_url: str, bootstrap: str, results: Results) -> None:
    print("== event backbone (synchronous_commit on) ==")
    url = fresh_database(server_url)
    limits: dict[tuple[int, int], float] = {}  # pgbench's events/s by (clients, rows a commit)
    with ConnectionPool(url, min_size=4, max_size=4) as pool:
        for writers, batch, group in APPENDS:
            if (writers, batch) not in limits:
                measured = pgbench_append(url, writers, batch, seconds=5)
                limits[writers, batch] = measured.transactions_per_second * batch
            rate = append_rate(pool, writers, batch, seconds=5, group=group)
            how = "group commit" if group else "one commit an append"
            results.add(
                Figure(
                    f"event append, {writers} writer(s), {batch} per append, {how}",
                    rate,
                    "events/s",
                    limits[writers, batch],
                    f"pgbench, {writers} client(s), {batch} row(s) of the same shape a commit",
                    share_of_limit(0.5) if (writers, batch, group) == (4, 1, True) else None,
                )
            )
        relayed, record_size = relay_throughput(pool, bootstrap, RELAYED)
    limit = producer_limit(bootstrap, RELAYED, record_size)
    results.add(
        Figure(
            "relay, outbox to Kafka (confirmed)",
            relayed,
            "events/s",
            limit,
            f"Kafka ProducerPerformance, {record_size}-byte records, acks=all, idempotent",
        )
    )
    latency = projection_latency(server_url, bootstrap, rate=500, seconds=20, batch=5)
    print(f"append-to-projection ran at {latency['rate']:.0f} events/s in appends of 5")
    for cut in ("p50", "p99"):
        results.add(
            Figure(
                f"append to projection (relay + consumer in another process), {cut}",
                latency[cut] * 1000,
                "ms",
                goal=at_most(1000, "ms") if cut == "p99" else None,
                lower_is_better=True,
            )
        )
