"""Delivery workers: take jobs from the delivery topic, ask identity for the addresses of the
whole batch, send each through its channel, and record each outcome as soon as it is known.

Each delivery is sent inside its own transaction that holds the delivery's row lock: a
duplicate job (or a second worker after a rebalance) waits, then finds it final and skips it.
A crash before the commit leaves it `queued`, and the job, whose offset was not committed,
comes back: the only duplicates are sends the provider accepted just before such a crash,
and every copy carries the same delivery id (Message-ID, Notify reference).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog
from confluent_kafka import Consumer, KafkaException, Message, TopicPartition
from google.protobuf.message import DecodeError
from prometheus_client import Counter
from psycopg_pool import ConnectionPool

from snp.identity.v1.events_pb2 import ReleasePurpose
from snp.messaging.v1 import events_pb2 as pb
from snp.messaging.v1.deliveries_pb2 import DeliveryJob
from snp_messaging.adapters import deliveries, dispatch_signal, message_attachments
from snp_messaging.adapters.attachment_sealing import AttachmentsUnavailable
from snp_messaging.adapters.channels import Channel, OutgoingAttachment
from snp_messaging.adapters.delivery_topic import DELIVERY_TOPIC, worker_consumer_config
from snp_messaging.adapters.directory import ContactDetails, Directory
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.deliveries import (
    NO_PHONE_FOR_FALLBACK,
    Attempt,
    Next,
    Status,
    Verdict,
    after_attempt,
)
from snp_messaging.domain.fallback import falls_back
from snp_messaging.service_layer.compose import MessageForDelivery, compose
from snp_messaging.service_layer.contact_problems import record_contact_problem
from snp_messaging.service_layer.context import attachment_seal
from snp_messaging.service_layer.fallback import fall_back
from snp_messaging.settings import MessagingSettings
from snp_platform.eventstore import EventStore
from snp_platform.worker_health import Heartbeat

log = structlog.get_logger(__name__)
OUTCOMES = Counter("snp_messaging_delivery_attempts_total", "Delivery attempts", ["outcome"])
ChannelFactory = Callable[[], dict[str, Channel]]


class DeliveryWorker:
    def __init__(
        self,
        pool: ConnectionPool[Any],
        settings: MessagingSettings,
        directory: Directory,
        channels: ChannelFactory,
    ) -> None:
        self._pool, self._settings, self._directory = pool, settings, directory
        self._make_channels = channels
        self._local = threading.local()
        self._streams = MessagingStreams(EventStore(pool))
        self._attachment_seal = attachment_seal(settings)

    def run(self, stop: threading.Event, heartbeat: Heartbeat | None = None) -> None:
        consumer = Consumer(worker_consumer_config(self._settings.kafka_bootstrap))
        consumer.subscribe([DELIVERY_TOPIC])
        threads = self._settings.worker_threads
        with ThreadPoolExecutor(threads, thread_name_prefix="delivery") as executor:
            try:
                while not stop.is_set():
                    if heartbeat is not None:
                        heartbeat.beat()
                    messages = consumer.consume(self._settings.worker_batch_size, 0.5)
                    messages = [m for m in messages if m.error() is None]
                    if not messages:
                        continue
                    try:
                        self.process(messages, executor)
                    except Exception:
                        log.exception("delivery_batch_failed")
                        _rewind(consumer, messages)
                        stop.wait(2.0)
                        continue
                    try:
                        consumer.commit(asynchronous=False)
                    except KafkaException as error:
                        # The broker restarting: the batch's jobs come again, and only
                        # deliveries still queued are sent, so a lost commit sends nothing twice.
                        log.warning("delivery_commit_failed", error=str(error))
            finally:
                consumer.close()

    def process(self, messages: list[Message], executor: ThreadPoolExecutor) -> int:
        """Attempt every still-queued delivery of the batch; return how many were attempted."""
        jobs = [job for job in map(_job, messages) if job is not None]
        ids = list(dict.fromkeys(job.delivery_id for job in jobs))
        with self._pool.connection() as conn:
            rows = deliveries.queued_with_messages(conn, ids)
        if not rows:
            return 0
        contacts: dict[tuple[str, str], ContactDetails] = {}
        # One release per message, so identity can tell each member which message it was for.
        for (tenant, message_id), message_rows in _by_message(rows).items():
            accounts = [r["account_id"] for r in message_rows]
            found = self._directory.contacts(tenant, accounts, delivery_purpose(message_rows[0]))
            contacts.update({(message_id, a): c for a, c in found.items()})
        for tenant in {r["tenant"] for r in rows}:
            # Senders are named as identity knows them now (names are never stored here).
            senders = {r["sender_id"] for r in rows if r["tenant"] == tenant}
            names = self._directory.display_names(tenant, senders)
            for r in rows:
                if r["tenant"] == tenant:
                    r["sender_name"] = names.get(r["sender_id"], "")
        files = self._attachments({r["message_id"] for r in rows if r["attachments"]})
        futures = [
            executor.submit(
                self._deliver, r, contacts.get((r["message_id"], r["account_id"])), files
            )
            for r in rows
        ]
        for future in futures:
            future.result()  # re-raises a database failure: the batch is then re-read
        return len(rows)

    def _channels(self) -> dict[str, Channel]:
        made: dict[str, Channel] | None = getattr(self._local, "channels", None)
        if made is None:
            made = self._make_channels()
            self._local.channels = made
        return made

    def _deliver(
        self,
        row: dict[str, Any],
        contact: ContactDetails | None,
        files: dict[str, tuple[OutgoingAttachment, ...]],
    ) -> None:
        with self._pool.connection() as conn, conn.transaction():
            locked = deliveries.lock(conn, row["delivery_id"])
            if locked is None or locked[0] != Status.QUEUED.value:
                return  # a duplicate job: already done, or waiting for its retry
            attempts = locked[1] + 1
            attempt, next_state = self._attempt(row, contact, files, attempts)
            OUTCOMES.labels(attempt.verdict.value).inc()
            deliveries.record_attempt(
                conn,
                row["delivery_id"],
                next_state.status.value,
                attempts,
                next_state.retry_in_seconds,
                "" if attempt.verdict is Verdict.SENT else attempt.detail,
                attempt.provider_reference,
            )
            if next_state.marks_contact:
                self._mark_contact(conn, row, next_state, attempt)
            # A text can reach them instead (decided from the row first: no query per send).
            outcome = next_state.status.value
            if contact and contact.phone and falls_back(row["priority"], row["channel"], outcome):
                fall_back(
                    self._streams,
                    conn,
                    tenant=row["tenant"],
                    account_id=row["account_id"],
                    message_id=row["message_id"],
                    failed_delivery_id=row["delivery_id"],
                    channel=row["channel"],
                    outcome=outcome,
                )
            if next_state.status is Status.PENDING:
                dispatch_signal.wake_dispatchers(conn)

    def _attempt(
        self,
        row: dict[str, Any],
        contact: ContactDetails | None,
        files: dict[str, tuple[OutgoingAttachment, ...]],
        attempts: int,
    ) -> tuple[Attempt, Next]:
        channel = self._channels().get(row["channel"])
        if channel is None:
            failed = Attempt(Verdict.FAILED, f"no {row['channel']} provider is configured")
            return failed, Next(Status.FAILED)
        address = channel.address_of(contact.email, contact.phone) if contact else ""
        if not address and row.get("is_fallback"):
            # A late bounce's fallback, for a member without a phone: nobody to text, and not
            # a problem with an address they gave.
            return Attempt(Verdict.FAILED, NO_PHONE_FOR_FALLBACK), Next(Status.SKIPPED)
        if not address:
            attempt = Attempt(Verdict.FAILED, f"no {row['channel']} address on the account")
        else:
            message = MessageForDelivery(
                row["message_id"],
                row["subject"],
                row["body"],
                row["priority"],
                row["sender_name"],
                row["sender_role"],
                row["sender_force"],
                row["link"],
                row["attachments"],
                row["message_type"],
                bool(row.get("has_poll")),
                bool(row.get("is_fallback")),
            )
            attached = files.get(row["message_id"], ()) if channel.name == "email" else ()
            name = contact.display_name if contact else ""
            outgoing = compose(
                message, row["delivery_id"], address, name, self._settings.portal_base_url, attached
            )
            attempt = channel.send(outgoing)
        s = self._settings
        return attempt, after_attempt(
            attempt,
            attempts,
            s.delivery_max_attempts,
            s.delivery_backoff_seconds,
            s.delivery_backoff_cap_seconds,
        )

    def _mark_contact(
        self, conn: Any, row: dict[str, Any], next_state: Next, attempt: Attempt
    ) -> None:
        problem = pb.ContactDeliveryProblemRecorded(
            account_id=row["account_id"],
            channel=row["channel"],
            delivery_id=row["delivery_id"],
            message_id=row["message_id"],
            outcome=next_state.status.value,
            reason=attempt.detail,
        )
        record_contact_problem(self._streams, conn, problem, row["tenant"])

    def _attachments(self, message_ids: set[str]) -> dict[str, tuple[OutgoingAttachment, ...]]:
        if not message_ids:
            return {}
        found: dict[str, list[OutgoingAttachment]] = {}
        if self._attachment_seal is None:
            raise AttachmentsUnavailable("a message has attachments and no attachment key is set")
        with self._pool.connection() as conn:
            for a in message_attachments.contents(conn, self._attachment_seal, message_ids):
                found.setdefault(a.message_id, []).append(
                    OutgoingAttachment(a.filename, a.content_type, a.content)
                )
        return {k: tuple(v) for k, v in found.items()}


def _job(message: Message) -> DeliveryJob | None:
    try:
        return DeliveryJob.FromString(message.value() or b"")
    except DecodeError:
        log.warning("delivery_job_malformed", offset=message.offset())
        return None


def delivery_purpose(row: dict[str, Any]) -> ReleasePurpose:
    """Why the worker asks for these contacts: the message, as its recipients see it."""
    return ReleasePurpose(
        code="message_delivery",
        message_id=row["message_id"],
        subject=row["subject"],
        sender_role=row["sender_role"],
        sender_kind=row["sender_kind"],
        force=row["sender_force"],
        group_id=row["group_id"],
    )


def _by_message(rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["tenant"], row["message_id"]), []).append(row)
    return grouped


def _rewind(consumer: Consumer, messages: list[Message]) -> None:
    """Seek back to the batch's first offsets so it is read again (nothing is skipped)."""
    first: dict[tuple[str, int], int] = {}
    for m in messages:
        key = (m.topic() or "", m.partition() or 0)
        first[key] = min(first.get(key, m.offset() or 0), m.offset() or 0)
    for (topic, partition), offset in first.items():
        try:
            consumer.seek(TopicPartition(topic, partition, offset))
        except Exception:  # not assigned any more: its new owner starts from the commit
            log.warning("delivery_rewind_skipped", partition=partition)
    time.sleep(0)
