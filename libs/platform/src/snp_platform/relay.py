"""The outbox relay: tails a service's event store and publishes each event to its Kafka topic.

At-least-once by construction: the checkpoint only moves past an event once the broker has
confirmed it, so a crash re-sends (harmless: consumers dedupe by event id) and never skips.
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import structlog
from confluent_kafka import KafkaError, Message, Producer
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Gauge
from psycopg_pool import ConnectionPool

from snp_platform.eventstore import EventStore
from snp_platform.eventstore.store import NOTIFY_CHANNEL
from snp_platform.kafka import envelope_headers, producer_config
from snp_platform.listening import Listener
from snp_platform.topics import events_topic
from snp_platform.tracing import continued_span
from snp_platform.worker_health import Heartbeat

log = structlog.get_logger(__name__)
RELAYED = Counter("snp_relay_events_total", "Events confirmed by the broker", ["service"])
RELAY_FAILURES = Counter("snp_relay_failures_total", "Deliveries the broker refused", ["service"])
RELAY_POSITION = Gauge("snp_relay_position", "Last store position confirmed", ["service"])
RELAY_LAG = Gauge(
    "snp_relay_lag_events", "Events in the store not yet confirmed by the broker", ["service"]
)


class Relay:
    """Publishes a service's events in position order, keyed by stream id."""

    def __init__(
        self,
        pool: ConnectionPool[Any],
        bootstrap: str,
        service: str,
        *,
        batch_size: int = 1000,
        flush_timeout: float = 30.0,
        producer_overrides: dict[str, Any] | None = None,
    ) -> None:
        self._pool = pool
        self._conninfo = str(pool.conninfo)
        self._store = EventStore(pool)
        self.service = service
        self.name = f"{service}-relay"
        self.topic = events_topic(service)
        self._batch_size = batch_size
        self._flush_timeout = flush_timeout
        self._producer_config = {
            **producer_config(bootstrap, self.name),
            **(producer_overrides or {}),
        }
        self._producer = Producer(self._producer_config)

    def checkpoint(self) -> int:
        """The last position the broker confirmed."""
        with self._pool.connection() as conn:
            return published_position(conn, self.service)

    def relay_once(self) -> int:
        """Publish the next batch after the checkpoint; return how many events were confirmed."""
        start = self.checkpoint()
        events = self._store.read_after(start, self._batch_size)
        if not events:
            RELAY_LAG.labels(self.service).set(0)
            return 0
        errors: dict[int, KafkaError | None] = {}
        for event in events:
            envelope = event.to_envelope(self.service)
            traceparent = envelope.trace_context.traceparent
            with continued_span(f"publish {self.topic}", traceparent, SpanKind.PRODUCER):
                self._produce(
                    key=event.stream.stream_id.encode(),
                    value=envelope.SerializeToString(),
                    headers=envelope_headers(envelope),
                    on_delivery=_recorder(errors, event.position),
                )
        self._producer.flush(self._flush_timeout)
        confirmed = start
        for event in events:  # only the confirmed prefix counts; the rest is re-sent next time
            if event.position not in errors or errors[event.position] is not None:
                break
            confirmed = event.position
        delivered = sum(1 for e in events if e.position <= confirmed)
        self._record_lag(confirmed, events[-1].position, len(events))
        if confirmed > start:
            self._save_checkpoint(confirmed)
            RELAYED.labels(self.service).inc(delivered)
            RELAY_POSITION.labels(self.service).set(confirmed)
        if delivered < len(events):
            RELAY_FAILURES.labels(self.service).inc()
            first_error = next((e for e in errors.values() if e is not None), "not confirmed")
            log.warning("relay_delivery_failed", service=self.service, error=str(first_error))
            # An idempotent producer that lost a delivery may be in a fatal state: start afresh.
            self._producer = Producer(self._producer_config)
        return delivered

    def run(
        self, stop: threading.Event, idle_wait: float = 0.5, heartbeat: Heartbeat | None = None
    ) -> None:
        """Relay until `stop` is set, waking on the store's NOTIFY instead of busy polling."""
        listener = Listener(self._conninfo, NOTIFY_CHANNEL)
        try:
            while not stop.is_set():
                if heartbeat is not None:
                    heartbeat.beat()
                try:
                    relayed = self.relay_once()
                except Exception:
                    log.exception("relay_error", service=self.service)
                    stop.wait(1.0)
                    continue
                if relayed == 0:
                    listener.wait(idle_wait)
        finally:
            listener.close()
        self._producer.flush(self._flush_timeout)

    def _produce(self, **kwargs: Any) -> None:
        while True:
            try:
                self._producer.produce(self.topic, **kwargs)
                self._producer.poll(0)
                return
            except BufferError:  # local queue full: let deliveries drain, then retry
                self._producer.poll(0.1)

    def _record_lag(self, confirmed: int, last_read: int, read: int) -> None:
        """The backlog behind the broker; a short batch was the store's end, so only after a full
        one is the store asked how far it goes."""
        stored = last_read
        if read >= self._batch_size:
            with self._pool.connection() as conn:
                stored = relay_backlog(conn, self.service)["stored"]
        RELAY_LAG.labels(self.service).set(max(stored - confirmed, 0))

    def _save_checkpoint(self, position: int) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO relay_checkpoints (relay, position) VALUES (%s, %s) "
                "ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position "
                "WHERE relay_checkpoints.position < EXCLUDED.position",
                (self.name, position),
            )


def _recorder(errors: dict[int, KafkaError | None], position: int) -> Any:
    def on_delivery(error: KafkaError | None, _message: Message) -> None:
        errors[position] = error

    return on_delivery


def published_position(conn: psycopg.Connection[Any], service: str) -> int:
    """The last store position the service's relay has seen the broker confirm (0: none)."""
    row = conn.execute(
        "SELECT position FROM relay_checkpoints WHERE relay = %s", (f"{service}-relay",)
    ).fetchone()
    return int(row[0]) if row else 0


def relay_backlog(conn: psycopg.Connection[Any], service: str) -> dict[str, int]:
    """How far the relay is behind the store: its last position, the relay's, the gap."""
    row = conn.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()
    stored = int(row[0]) if row else 0
    published = published_position(conn, service)
    return {"stored": stored, "published": published, "lag": max(stored - published, 0)}
