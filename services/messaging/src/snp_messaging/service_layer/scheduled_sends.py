"""What the relay role sends on a clock: members' digests at their force's time, and the
deliveries quiet hours held once they end. `snp-messaging send-digests` and `release-held`
run the same steps at once (with `--now`, as if it were then).

A digest is recorded like account mail (a MessageSent of type `digest` to the account, one
email delivery: retries, bounces and receipts as for any mail), and the messages it lists are
marked as covered in that transaction: a crash before the commit leaves them waiting for the
rerun, and after it they are in no other digest."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from psycopg_pool import ConnectionPool

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import digests, dispatch_signal, event_streams, fan_out, messages
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.digests import DigestSchedule, digest_held_until
from snp_messaging.domain.messages import AudienceType, MessageType, Priority
from snp_messaging.service_layer.account_mail import PLATFORM
from snp_messaging.service_layer.digest_mail import digest_body, digest_subject
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.worker_health import Heartbeat

log = structlog.get_logger(__name__)
JOB = EventMetadata(actor="service:messaging")


def release_held(pool: ConnectionPool[Any], now: datetime) -> int:
    """Deliveries whose member's quiet hours ended by `now` go to the dispatcher."""
    with pool.connection() as conn, conn.transaction():
        released = digests.release_held(conn, now)
        if released:
            dispatch_signal.wake_dispatchers(conn)
    return released


def send_digests(
    streams: MessagingStreams, pool: ConnectionPool[Any], portal_base_url: str, now: datetime
) -> int:
    """Each member's digest that is due at `now` (their force's last digest time of their
    cadence) and lists anything; how many were recorded."""
    sent = 0
    with pool.connection() as conn:
        waiting = digests.members_waiting(conn)
    schedules: dict[str, DigestSchedule] = {}
    for member in waiting:
        with pool.connection() as conn, conn.transaction():
            if member.tenant not in schedules:
                schedules[member.tenant] = digests.schedule_of(conn, member.tenant)
            due = schedules[member.tenant].latest(member.cadence, now)
            held = digests.claim_waiting(conn, member.account_id, due)
            if not held:
                continue
            force = projection.force_name(conn, member.tenant)
            digest_id = str(uuid.uuid4())
            event = pb.MessageSent(
                message_id=digest_id,
                sender=pb.Sender(account_id="", role=PLATFORM, force=force),
                audience=pb.Audience(type=AudienceType.ACCOUNT.value, id=member.account_id),
                subject=digest_subject(member.cadence, len(held)),
                body=digest_body(member.cadence, held, portal_base_url),
                message_type=MessageType.DIGEST.value,
                priority=Priority.LOW.value,
                recipients=1,
                deliveries=1,
                digest_of=[h.message_id for h in held],
            )
            messages.record_sent(conn, member.tenant, event)
            until = digest_held_until(member.quiet_hours, now)
            if until is None:
                fan_out.record_deliveries(
                    conn, member.tenant, digest_id, [(member.account_id, "email")]
                )
            else:  # released by release_held when the member's quiet hours end
                fan_out.record_held_deliveries(
                    conn, member.tenant, digest_id, [(member.account_id, "email", until)]
                )
            digests.mark_covered(conn, member.account_id, event.digest_of, digest_id)
            stream = event_streams.message_stream(member.tenant, digest_id)
            streams.append(stream, [event], NO_STREAM, JOB, conn)
            dispatch_signal.wake_dispatchers(conn)
            sent += 1
            log.info("digest_recorded", digest_id=digest_id, messages=len(held))
    return sent


def run_scheduled_sends(
    streams: MessagingStreams,
    pool: ConnectionPool[Any],
    portal_base_url: str,
    stop: threading.Event,
    *,
    interval: float = 60.0,
    heartbeat: Heartbeat | None = None,
) -> None:
    """The relay's job: every `interval` seconds, release what quiet hours held and send the
    digests that are due."""
    while not stop.is_set():
        try:
            now = datetime.now(UTC)
            release_held(pool, now)
            send_digests(streams, pool, portal_base_url, now)
        except Exception:  # the database away: logged, and tried next round
            log.exception("scheduled_sends_failed")
        if heartbeat is not None:
            heartbeat.beat()
        stop.wait(interval)
