"""Relay and consumer are SIGKILLed at random while 10,000 events are appended: nothing is lost,
nothing is applied twice, every stream stays in order, and nothing is dead-lettered."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp_platform.deadletters import list_dead_letters
from snp_platform.eventstore import EventMetadata, EventStore, NewEvent, Stream
from snp_platform.topics import TopicSpec, create_topics, events_topic
from tests.integration.kafka_helpers import APPLIED_TABLE, applied_rows, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.leaves_history]
TOTAL_EVENTS = 10_000
STREAMS = 200
ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """A relay or consumer subprocess that can be killed and restarted."""

    def __init__(self, role: str, args: list[str], log_dir: Path) -> None:
        self.role, self.args, self.kills = role, args, 0
        self.log = (log_dir / f"{role}.log").open("ab")
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.integration.crash_worker", self.role, *self.args],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill_and_restart(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.kills += 1
        self.process = self._start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


def append_events(pool: ConnectionPool[Any], appended: list[str], rng: random.Random) -> None:
    store = EventStore(pool)
    streams = [Stream("met", f"s{i}-{uuid.uuid4()}") for i in range(STREAMS)]
    versions = dict.fromkeys(streams, 0)
    while len(appended) < TOTAL_EVENTS:
        stream = rng.choice(streams)
        size = min(rng.randint(1, 10), TOTAL_EVENTS - len(appended))
        batch = [NewEvent("test.Happened", os.urandom(16)) for _ in range(size)]
        store.append(stream, batch, versions[stream], EventMetadata(actor="crash-test"))
        versions[stream] += size
        appended.extend(e.event_id for e in batch)


def test_sigkilled_relay_and_consumer_lose_nothing_and_apply_nothing_twice(
    stack: Any, pool: ConnectionPool[Any], database_url: str, tmp_path: Path
) -> None:
    service = f"crash{uuid.uuid4().hex[:8]}"
    create_topics(stack.kafka_bootstrap, [TopicSpec(events_topic(service), 3)])
    with psycopg.connect(database_url) as conn:
        conn.execute(APPLIED_TABLE)
    args = [database_url, stack.kafka_bootstrap, service]
    workers = [Worker("relay", args, tmp_path), Worker("consumer", args, tmp_path)]
    rng = random.Random(int(os.environ.get("SNP_CRASH_SEED", "20261121")))
    appended: list[str] = []
    appender = threading.Thread(target=append_events, args=(pool, appended, rng))
    try:
        appender.start()
        turn = 0
        while appender.is_alive() or turn < len(workers):  # at random moments, each in turn
            time.sleep(rng.uniform(0.3, 1.5))
            workers[turn % len(workers)].kill_and_restart()
            turn += 1
        for worker in workers:  # one more kill each once everything is in the store
            worker.kill_and_restart()
        wait_until(
            lambda: len(applied_rows(database_url)) >= TOTAL_EVENTS,
            timeout=240,
            what="every event applied",
        )
        time.sleep(2)  # room for any stray redelivery to (wrongly) show up
        rows = applied_rows(database_url)
    finally:
        appender.join()
        for worker in workers:
            worker.stop()

    kills = {w.role: w.kills for w in workers}
    print(f"crash test: {TOTAL_EVENTS} events, kills {kills}")
    assert all(count >= 2 for count in kills.values()), kills
    assert len(rows) == TOTAL_EVENTS, "an event was applied twice"
    assert {row[0] for row in rows} == set(appended), "an event was lost"
    versions: dict[str, list[int]] = {}
    for _event_id, stream_id, version in rows:
        versions.setdefault(stream_id, []).append(version)
    for stream_id, seen in versions.items():
        assert seen == list(range(1, len(seen) + 1)), f"stream {stream_id} out of order"
    assert list_dead_letters(stack.kafka_bootstrap, f"{service}-proj") == []
