"""A relay or consumer process for the crash test: runs until killed.

python -m tests.integration.crash_worker relay|consumer DATABASE_URL BOOTSTRAP SERVICE
"""

from __future__ import annotations

import signal
import sys
import threading

from psycopg_pool import ConnectionPool

from snp_platform.consumer import ConsumerRunner
from snp_platform.relay import Relay
from snp_platform.topics import events_topic
from tests.integration.kafka_helpers import record_applied


def main() -> None:
    role, database_url, bootstrap, service = sys.argv[1:5]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ConnectionPool(database_url, min_size=1, max_size=2) as pool:
        if role == "relay":
            Relay(pool, bootstrap, service).run(stop, idle_wait=0.2)
        else:
            ConsumerRunner(
                pool,
                bootstrap,
                f"{service}-proj",
                [events_topic(service)],
                record_applied,
                instance_id=f"{service}-proj-0",
            ).run(stop)


if __name__ == "__main__":
    main()
