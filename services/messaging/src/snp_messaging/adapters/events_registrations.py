"""Messaging's projection of engagement's events (state only: rebuilding it is safe): each
engagement event's title, times, place and status, and who registered their interest. What
the events cause (the notices, the reminder) is in service_layer/events_notices.py.

`event_reminders_sent` is not the projection's: it is the reminder job's record of what it has
sent, so a rebuild of the projection never sends a reminder twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg

from snp.engagement.v1 import events_pb2 as engagement
from snp.v1.envelope_pb2 import EventEnvelope

Conn = psycopg.Connection[Any]

EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS engagement_events (
    event_id          text PRIMARY KEY,
    tenant            text NOT NULL,
    title             text NOT NULL,
    organising_agency text NOT NULL,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    place_text        text NOT NULL,
    postcode          text NOT NULL,
    place_tbc         boolean NOT NULL,
    status            text NOT NULL DEFAULT 'scheduled'  -- scheduled | cancelled
);
CREATE INDEX IF NOT EXISTS engagement_events_due ON engagement_events (starts_at)
    WHERE status = 'scheduled';

CREATE TABLE IF NOT EXISTS event_registrations (
    event_id   text NOT NULL,
    account_id text NOT NULL,
    tenant     text NOT NULL,
    PRIMARY KEY (event_id, account_id)
);

CREATE TABLE IF NOT EXISTS event_reminders_sent (
    event_id   text NOT NULL,
    starts_at  timestamptz NOT NULL,  -- a moved event is reminded of again, at its new time
    message_id text NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, starts_at)
);
"""
_TYPE = "engagement.{}"


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class EngagementEventsProjection:
    """Rebuild it with `snp-events projection rebuild --projection
    snp_messaging.adapters.events_registrations:EngagementEventsProjection --from kafka
    --topic snp.engagement.events` (or from the operator's console)."""

    name = "messaging.engagement-events"
    event_types = ("engagement.",)

    def reset(self, conn: Conn) -> None:
        conn.execute("DELETE FROM engagement_events")
        conn.execute("DELETE FROM event_registrations")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        kind, payload = envelope.event_type, envelope.payload
        if kind == _TYPE.format("EventScheduled"):
            e = engagement.EventScheduled.FromString(payload)
            conn.execute(
                "INSERT INTO engagement_events (event_id, tenant, title, organising_agency,"
                " starts_at, ends_at, place_text, postcode, place_tbc)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (
                    e.event_id,
                    envelope.tenant,
                    e.title,
                    e.organising_agency,
                    _at(e.starts_at),
                    _at(e.ends_at),
                    e.place.text,
                    e.place.postcode,
                    e.place.to_be_confirmed,
                ),
            )
        elif kind == _TYPE.format("EventMoved"):
            m = engagement.EventMoved.FromString(payload)
            conn.execute(
                "UPDATE engagement_events SET starts_at = %s, ends_at = %s, place_text = %s,"
                " postcode = %s, place_tbc = %s WHERE event_id = %s",
                (
                    _at(m.starts_at),
                    _at(m.ends_at),
                    m.place.text,
                    m.place.postcode,
                    m.place.to_be_confirmed,
                    m.event_id,
                ),
            )
        elif kind == _TYPE.format("EventCancelled"):
            event_id = engagement.EventCancelled.FromString(payload).event_id
            conn.execute(
                "UPDATE engagement_events SET status = 'cancelled' WHERE event_id = %s",
                (event_id,),
            )
        elif kind == _TYPE.format("InterestRegistered"):
            r = engagement.InterestRegistered.FromString(payload)
            conn.execute(
                "INSERT INTO event_registrations (event_id, account_id, tenant)"
                " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (r.event_id, r.account_id, envelope.tenant),
            )
        elif kind == _TYPE.format("InterestWithdrawn"):
            w = engagement.InterestWithdrawn.FromString(payload)
            conn.execute(
                "DELETE FROM event_registrations WHERE event_id = %s AND account_id = %s",
                (w.event_id, w.account_id),
            )


class EventRow:
    """An engagement event as messaging knows it (what a notice says)."""

    def __init__(self, row: tuple[Any, ...]) -> None:
        (
            self.event_id,
            self.tenant,
            self.title,
            self.organising_agency,
            self.starts_at,
            self.ends_at,
            self.place_text,
            self.postcode,
            self.place_tbc,
        ) = row


_EVENT_COLUMNS = (
    "event_id, tenant, title, organising_agency, starts_at, ends_at, place_text, postcode,"
    " place_tbc"
)


def find_event(conn: Conn, event_id: str) -> EventRow | None:
    row = conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM engagement_events WHERE event_id = %s",  # noqa: S608
        (event_id,),
    ).fetchone()
    return None if row is None else EventRow(tuple(row))


def registrants(conn: Conn, event_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT account_id FROM event_registrations WHERE event_id = %s ORDER BY account_id",
        (event_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]


def claim_due_reminders(conn: Conn, until: datetime, now: datetime) -> list[EventRow]:
    """Scheduled events starting between now and `until` not yet reminded of at that time,
    locked so that two reminder jobs never both take one (the other skips it)."""
    rows = conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM engagement_events e"  # noqa: S608
        " WHERE status = 'scheduled' AND starts_at > %s AND starts_at <= %s"
        " AND NOT EXISTS (SELECT 1 FROM event_reminders_sent s"
        "  WHERE s.event_id = e.event_id AND s.starts_at = e.starts_at)"
        " ORDER BY starts_at FOR UPDATE SKIP LOCKED",
        (now, until),
    ).fetchall()
    return [EventRow(tuple(r)) for r in rows]


def mark_reminded(conn: Conn, event: EventRow, message_id: str) -> bool:
    """Record the reminder; False when one was already recorded (it is not sent again)."""
    return bool(
        conn.execute(
            "INSERT INTO event_reminders_sent (event_id, starts_at, message_id)"
            " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (event.event_id, event.starts_at, message_id),
        ).rowcount
    )
