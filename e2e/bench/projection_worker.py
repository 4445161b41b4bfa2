"""The relay and a latency-recording projection, in a process of their own.

python -m e2e.bench.projection_worker DATABASE_URL BOOTSTRAP SERVICE
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.consumer import ConsumerRunner
from snp_platform.relay import Relay
from snp_platform.topics import events_topic


def record_latency(conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
    conn.execute(
        "INSERT INTO bench_latency (event_id, occurred_at, applied_at)"
        " VALUES (%s, %s, clock_timestamp())",
        (envelope.event_id, envelope.occurred_at.ToDatetime().isoformat() + "Z"),
    )


def main() -> None:
    database_url, bootstrap, service = sys.argv[1:4]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ConnectionPool(database_url, min_size=2, max_size=4) as pool:
        relay = threading.Thread(target=Relay(pool, bootstrap, service).run, args=(stop,))
        relay.start()
        runner = ConsumerRunner(
            pool,
            bootstrap,
            f"{service}-latency",
            [events_topic(service)],
            record_latency,
            commit_interval=0.5,
        )
        runner.run(stop)
        relay.join()


if __name__ == "__main__":
    main()
