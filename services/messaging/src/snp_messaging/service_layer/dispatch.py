"""The dispatcher: puts due deliveries on the delivery topic, then marks them queued.

Rows are claimed (locked, skipping rows another dispatcher holds), produced, and marked
`queued` only once the broker confirmed them, in the same transaction: a crash before the
commit leaves them `pending` and they are produced again (a duplicate job, which workers
recognise by the delivery's status).
Queued deliveries no worker finished within `requeue_after` go back to `pending`.
"""

from __future__ import annotations

import threading
from typing import Any

import structlog
from confluent_kafka import KafkaError, Message, Producer
from prometheus_client import Counter
from psycopg_pool import ConnectionPool

from snp.messaging.v1.deliveries_pb2 import DeliveryJob
from snp_messaging.adapters import deliveries, dispatch_signal
from snp_messaging.adapters.delivery_topic import DELIVERY_TOPIC, job_producer_config
from snp_platform.worker_health import Heartbeat

log = structlog.get_logger(__name__)
QUEUED = Counter("snp_messaging_deliveries_queued_total", "Deliveries put on the topic")


class Dispatcher:
    def __init__(
        self,
        pool: ConnectionPool[Any],
        bootstrap: str,
        *,
        batch_size: int = 5000,
        requeue_after: float = 600.0,
    ) -> None:
        self._pool, self._batch_size, self._requeue_after = pool, batch_size, requeue_after
        self._config = job_producer_config(bootstrap)
        self._producer = Producer(self._config)

    def dispatch_once(self) -> int:
        """Queue one batch of due deliveries; return how many the broker confirmed."""
        with self._pool.connection() as conn, conn.transaction():
            due = deliveries.claim_due(conn, self._batch_size)
            if not due:
                return 0
            failed: set[str] = set()
            for d in due:
                job = DeliveryJob(
                    delivery_id=d.delivery_id,
                    message_id=d.message_id,
                    tenant=d.tenant,
                    account_id=d.account_id,
                    channel=d.channel,
                    attempt=d.attempts + 1,
                )
                self._produce(d.delivery_id, job.SerializeToString(), failed)
            remaining = self._producer.flush(30)
            confirmed = [d.delivery_id for d in due if d.delivery_id not in failed]
            if remaining or failed:
                # Unconfirmed jobs stay pending; a fresh producer avoids a fatal idempotence state.
                log.warning("dispatch_unconfirmed", failed=len(failed), remaining=remaining)
                self._producer = Producer(self._config)
                if remaining:
                    return 0
            deliveries.mark_queued(conn, confirmed)
        QUEUED.inc(len(confirmed))
        return len(confirmed)

    def _produce(self, key: str, value: bytes, failed: set[str]) -> None:
        def delivered(error: KafkaError | None, _message: Message) -> None:
            if error is not None:
                failed.add(key)

        while True:
            try:
                self._producer.produce(
                    DELIVERY_TOPIC, key=key.encode(), value=value, on_delivery=delivered
                )
                return
            except BufferError:  # the local queue is full: let it drain
                self._producer.poll(0.5)

    def requeue_stale(self) -> int:
        """Back to pending: queued deliveries that no worker finished in time (a lost job)."""
        with self._pool.connection() as conn:
            return deliveries.requeue_stale(conn, self._requeue_after)

    def run(
        self, stop: threading.Event, idle_wait: float = 0.5, heartbeat: Heartbeat | None = None
    ) -> None:
        with dispatch_signal.listening(str(self._pool.conninfo)) as wait_until_due:
            rounds = 0
            while not stop.is_set():
                if heartbeat is not None:
                    heartbeat.beat()
                try:
                    queued = self.dispatch_once()
                    rounds += 1
                    if rounds % 60 == 0:
                        self.requeue_stale()
                except Exception:
                    log.exception("dispatch_error")
                    stop.wait(1.0)
                    continue
                if queued == 0:
                    wait_until_due(idle_wait)
