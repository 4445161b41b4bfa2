"""What engagement events cause in messaging: everyone registered is told when an event is
moved or cancelled and what happened after it (once per engagement event id: a reaction), and
reminded the day before (once per event and start time: the reminder job). Each notice is a
message to the registrants by their own channels, recorded like any other."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import structlog
from psycopg_pool import ConnectionPool

from snp.engagement.v1 import events_pb2 as engagement
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import events_registrations as projection
from snp_messaging.adapters import recipients
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.messages import Audience, AudienceType, Draft, MessageType, Priority
from snp_messaging.domain.messages import Sender as MessageSender
from snp_messaging.service_layer.sending import record_in
from snp_platform.eventstore import EventMetadata
from snp_platform.worker_health import Heartbeat

Conn = psycopg.Connection[Any]
LONDON = ZoneInfo("Europe/London")
REMIND_AHEAD = timedelta(hours=24)
_log = structlog.get_logger(__name__)
_NOTICES = {
    f"engagement.{m.DESCRIPTOR.name}"
    for m in (engagement.EventMoved, engagement.EventCancelled, engagement.EventOutcomeRecorded)
}


def when(event: projection.EventRow) -> str:
    """London's wall clock, as the event's posters read: `Thu 4 March 2027, 18:30 to 19:30`."""
    starts = event.starts_at.astimezone(LONDON)
    ends = event.ends_at.astimezone(LONDON)
    end = (
        ends.strftime("%H:%M")
        if ends.date() == starts.date()
        else ends.strftime("%a %-d %B %Y, %H:%M")
    )
    return f"{starts.strftime('%a %-d %B %Y, %H:%M')} to {end}"


def where(event: projection.EventRow) -> str:
    place = ", ".join(p for p in (event.place_text, event.postcode) if p)
    if event.place_tbc:
        return f"{place} (location to be confirmed)" if place else "Location to be confirmed"
    return place


def notice(envelope: EventEnvelope, event: projection.EventRow) -> tuple[str, str] | None:
    """(subject, body) of the notice an engagement event's change means, or None."""
    title, kind = event.title, envelope.event_type.removeprefix("engagement.")
    if kind == "EventMoved":
        body = f"{title} has moved.\n\nNow: {when(event)}\nWhere: {where(event)}"
        return f"Changed: {title}", body
    if kind == "EventCancelled":
        reason = engagement.EventCancelled.FromString(envelope.payload).reason
        why = f"\n\nWhy: {reason}" if reason else ""
        return f"Cancelled: {title}", f"{title} ({when(event)}) is cancelled.{why}"
    if kind == "EventOutcomeRecorded":
        outcome = engagement.EventOutcomeRecorded.FromString(envelope.payload)
        lines = [f"What happened at {title} ({when(event)}):"]
        if outcome.issues_raised:
            lines += ["", "Issues raised:", *(f"- {i}" for i in outcome.issues_raised)]
        if outcome.actions_agreed:
            lines += [
                "",
                "Actions agreed:",
                *(f"- {a.description}" for a in outcome.actions_agreed),
            ]
        return f"What happens next: {title}", "\n".join(lines)
    return None


def _tell_registrants(
    streams: MessagingStreams,
    conn: Conn,
    event: projection.EventRow,
    subject: str,
    body: str,
    metadata: EventMetadata,
) -> str | None:
    """One message to everyone registered (by their channels); its id, None if nobody is."""
    registered = projection.registrants(conn, event.event_id)
    if not registered:
        return None
    force = recipients.force_name(conn, event.tenant)
    sender = MessageSender("", event.organising_agency or "the organisers", force, "")
    audience = Audience(AudienceType.EVENT, event.event_id)
    draft = Draft(subject[:200], body, MessageType.EVENT, Priority.NORMAL, audience)
    message_id, _count = record_in(
        streams, conn, event.tenant, sender, draft, audience, metadata, recipient_ids=registered
    )
    return message_id


class EngagementEventNotices:
    """Moved, cancelled, or followed up: every registrant is told, once per engagement event
    id (a reaction, so neither a redelivery nor a rebuild tells anyone twice)."""

    name = "messaging.engagement-event-notices"
    event_types = tuple(_NOTICES)

    def __init__(self, streams: MessagingStreams) -> None:
        self._streams = streams

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type not in _NOTICES:
            return
        event_id = _event_id(envelope)
        event = projection.find_event(conn, event_id)  # the projection ran first: new times
        said = notice(envelope, event) if event else None
        if event is None or said is None:
            return
        metadata = EventMetadata(
            actor="service:messaging",
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
            traceparent=envelope.trace_context.traceparent,
        )
        _tell_registrants(self._streams, conn, event, *said, metadata)


def _event_id(envelope: EventEnvelope) -> str:
    kind = envelope.event_type.removeprefix("engagement.")
    message = getattr(engagement, kind).FromString(envelope.payload)
    return str(message.event_id)


class _AlreadyReminded(Exception):
    pass


def send_due_reminders(
    streams: MessagingStreams, pool: ConnectionPool[Any], now: datetime | None = None
) -> int:
    """Remind the registrants of every event starting within a day, once per event and start
    time (a moved event is reminded of again); how many events were reminded of."""
    now = now or datetime.now(UTC)
    sent = 0
    with pool.connection() as conn, conn.transaction():
        for event in projection.claim_due_reminders(conn, now + REMIND_AHEAD, now):
            body = (
                f"A reminder: {event.title} is coming up.\n\n"
                f"When: {when(event)}\nWhere: {where(event)}"
            )
            metadata = EventMetadata(actor="service:messaging")
            try:
                with conn.transaction():
                    message_id = _tell_registrants(
                        streams, conn, event, f"Reminder: {event.title}", body, metadata
                    )
                    # Nobody registered yet: nothing is marked, so whoever registers before
                    # the event starts is still reminded on a later round.
                    if message_id is None:
                        continue
                    if not projection.mark_reminded(conn, event, message_id):
                        raise _AlreadyReminded
            except _AlreadyReminded:
                continue
            sent += 1
    return sent


def run_reminders(
    streams: MessagingStreams,
    pool: ConnectionPool[Any],
    stop: threading.Event,
    *,
    interval: float = 60.0,
    heartbeat: Heartbeat | None = None,
    clock: Callable[[], datetime] | None = None,
) -> None:
    """The periodic job (in the relay role, beside the dispatcher). It beats at least every
    30 seconds whatever the interval, so a long interval never looks like a stuck loop."""
    due = 0.0
    while not stop.is_set():
        if time.monotonic() >= due:
            due = time.monotonic() + interval
            try:
                reminded = send_due_reminders(streams, pool, clock() if clock else None)
                if reminded:
                    _log.info("event_reminders_sent", events=reminded)
            except psycopg.Error:
                _log.exception("event_reminders_failed")
        if heartbeat is not None:
            heartbeat.beat()
        stop.wait(min(interval, 30.0))
