"""Consumer runner: applies events to PostgreSQL exactly once in effect, dead-letters poison.

For each message the handler's effects and the event id are written in one transaction, and
the Kafka offset is committed only afterwards: a redelivered event finds its id and changes
nothing, and a crash before the commit just redelivers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import Enum
from typing import Any

import psycopg
import structlog
from confluent_kafka import Consumer, KafkaError, Message, TopicPartition
from opentelemetry.trace import SpanKind
from prometheus_client import Counter
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.deadletters import DeadLetterWriter
from snp_platform.envelope import MalformedEnvelope, decode_envelope
from snp_platform.kafka import consumer_config
from snp_platform.tracing import continued_span
from snp_platform.worker_health import Heartbeat

Handler = Callable[[psycopg.Connection[Any], EventEnvelope], None]
log = structlog.get_logger(__name__)
OUTCOMES = Counter("snp_consumer_messages_total", "Messages handled", ["group", "outcome"])


class Outcome(Enum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"
    INTERRUPTED = "interrupted"


class ConsumerRunner:
    """Runs one consumer group over some topics with a handler that writes to PostgreSQL."""

    def __init__(
        self,
        pool: ConnectionPool[Any],
        bootstrap: str,
        group_id: str,
        topics: list[str],
        handler: Handler,
        *,
        max_attempts: int = 5,
        retry_backoff: float = 0.2,
        commit_interval: float = 1.0,
        batch_size: int = 500,
        instance_id: str | None = None,
    ) -> None:
        self._pool = pool
        self.group_id = group_id
        self._topics = topics
        self._handler = handler
        self._max_attempts = max_attempts
        self._retry_backoff = retry_backoff
        self._commit_interval = commit_interval
        self._batch_size = batch_size
        self._dead_letters = DeadLetterWriter(bootstrap, group_id)
        config = consumer_config(bootstrap, group_id)
        if instance_id:
            # Static membership: a restarted instance takes its partitions back at once,
            # instead of the group waiting out the dead member's session.
            config["group.instance.id"] = instance_id
        self._consumer = Consumer(config)
        self._pending: dict[tuple[str, int], int] = {}
        self._stop = threading.Event()

    def run(self, stop: threading.Event, heartbeat: Heartbeat | None = None) -> None:
        """Consume until `stop` is set, then commit what was applied and leave the group."""
        self._stop = stop
        self._consumer.subscribe(self._topics, on_revoke=self._on_revoke, on_lost=self._on_lost)
        last_commit = time.monotonic()
        try:
            while not stop.is_set():
                if heartbeat is not None:
                    heartbeat.beat()
                # Block for the first message only, then take whatever else is already fetched:
                # batches when busy, no waiting for a batch to fill when quiet.
                first = self._consumer.poll(0.5)
                polled = [first] if first is not None else []
                if polled and self._batch_size > 1:
                    polled += self._consumer.consume(self._batch_size - 1, 0)
                messages = [m for m in polled if not self._is_broker_notice(m)]
                if messages and not self._process_batch(messages):
                    break
                if self._pending and time.monotonic() - last_commit >= self._commit_interval:
                    self._commit(asynchronous=True)
                    last_commit = time.monotonic()
        finally:
            self._commit(asynchronous=False)
            self._consumer.close()

    def _process_batch(self, messages: list[Message]) -> bool:
        """Apply a polled batch, in order; False if interrupted by shutdown.

        The common case commits many events in one transaction (one fsync instead of one per
        event). At the first message that cannot be applied the run stops, so that message gets
        its retries (or its dead letter) before anything after it on the partition.
        """
        done = 0
        while done < len(messages):
            applied, handler_failed = self._apply_run(messages[done:])
            done += applied
            if done < len(messages):
                failed_attempts = 1 if handler_failed else 0
                if self.process(messages[done], failed_attempts) is Outcome.INTERRUPTED:
                    return False
                self._mark_done(messages[done])
                done += 1
        return True

    def _apply_run(self, messages: list[Message]) -> tuple[int, bool]:
        """Apply messages in one transaction up to the first failure: (how many, did the
        handler fail)."""
        applied: list[tuple[Message, Outcome]] = []
        handler_failed = False
        try:
            with self._pool.connection() as conn, conn.transaction():
                for message in messages:
                    try:
                        envelope = decode_envelope(message.value())
                    except MalformedEnvelope:
                        break
                    try:
                        with conn.transaction():  # a savepoint: a failure undoes only this event
                            applied.append((message, self._apply_in(conn, envelope)))
                    except psycopg.OperationalError:
                        raise
                    except Exception:
                        handler_failed = True
                        break
        except Exception:  # e.g. the database went away: the slow path waits for it
            return 0, False
        for message, outcome in applied:
            OUTCOMES.labels(self.group_id, outcome.value).inc()
            self._mark_done(message)
        return len(applied), handler_failed

    def _mark_done(self, message: Message) -> None:
        position = (message.topic() or "", message.partition() or 0)
        self._pending[position] = (message.offset() or 0) + 1

    def process(self, message: Message, failed_attempts: int = 0) -> Outcome:
        """Apply one message, retrying handler failures, dead-lettering what cannot be applied.

        `failed_attempts` counts tries already made (e.g. inside a batch) toward the limit.
        """
        try:
            envelope = decode_envelope(message.value())
        except MalformedEnvelope as error:
            return self._dead_letter(message, f"malformed envelope: {error}", attempts=1)
        attempt = failed_attempts
        if attempt >= self._max_attempts:
            return self._dead_letter(message, "handler failed", attempts=attempt)
        if attempt:
            self._stop.wait(self._retry_backoff)
        while not self._stop.is_set():
            try:
                outcome = self._apply(envelope)
                OUTCOMES.labels(self.group_id, outcome.value).inc()
                return outcome
            except psycopg.OperationalError as error:
                # The database is unreachable: not the event's fault, so wait without counting.
                log.warning("consumer_database_unavailable", group=self.group_id, error=str(error))
                self._stop.wait(1.0)
            except Exception as error:
                attempt += 1
                log.warning(
                    "consumer_handler_failed",
                    group=self.group_id,
                    event_id=envelope.event_id,
                    attempt=attempt,
                    error=repr(error),
                )
                if attempt >= self._max_attempts:
                    return self._dead_letter(message, repr(error), attempts=attempt)
                self._stop.wait(self._retry_backoff * 2 ** (attempt - 1))
        return Outcome.INTERRUPTED

    def _apply(self, envelope: EventEnvelope) -> Outcome:
        with self._pool.connection() as conn, conn.transaction():
            return self._apply_in(conn, envelope)

    def _apply_in(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> Outcome:
        inserted = conn.execute(
            "INSERT INTO processed_events (consumer, event_id) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING",
            (self.group_id, envelope.event_id),
        ).rowcount
        if inserted == 0:
            return Outcome.DUPLICATE
        # The trace of the request that appended the event goes on here (when tracing is on).
        traceparent = envelope.trace_context.traceparent
        with continued_span(f"apply {envelope.event_type}", traceparent, SpanKind.CONSUMER):
            self._handler(conn, envelope)
        return Outcome.APPLIED

    def _dead_letter(self, message: Message, reason: str, attempts: int) -> Outcome:
        self._dead_letters.write(message, reason, attempts)
        OUTCOMES.labels(self.group_id, Outcome.DEAD_LETTERED.value).inc()
        log.error(
            "consumer_dead_lettered",
            group=self.group_id,
            reason=reason,
            topic=message.topic(),
            partition=message.partition(),
            offset=message.offset(),
        )
        return Outcome.DEAD_LETTERED

    def _is_broker_notice(self, message: Message) -> bool:
        error = message.error()
        if error is None:
            return False
        if error.code() != KafkaError._PARTITION_EOF:
            log.warning("consumer_broker_error", group=self.group_id, error=str(error))
        return True

    def _commit(self, *, asynchronous: bool, only: set[tuple[str, int]] | None = None) -> None:
        keys = [k for k in self._pending if only is None or k in only]
        if not keys:
            return
        offsets = [TopicPartition(t, p, self._pending.pop((t, p))) for t, p in keys]
        try:
            if asynchronous:
                self._consumer.commit(offsets=offsets, asynchronous=True)
            else:
                self._consumer.commit(offsets=offsets, asynchronous=False)
        except Exception as error:  # a failed commit only means redelivery, which is harmless
            log.warning("consumer_commit_failed", group=self.group_id, error=str(error))

    def _on_revoke(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._commit(asynchronous=False, only={(p.topic, p.partition) for p in partitions})

    def _on_lost(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Another member owns these now; committing would be refused, so forget them.
        for p in partitions:
            self._pending.pop((p.topic, p.partition), None)
