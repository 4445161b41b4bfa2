"""The read model of engagement events and registrations (`engagement_events`,
`event_registrations`): state only, applied in each append's transaction by EngagementTables
and rebuilt with the rest of engagement's tables."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope

Conn = psycopg.Connection[Any]
TABLES = ("engagement_events", "event_registrations")


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def apply(conn: Conn, envelope: EventEnvelope, event: Message) -> None:
    """Fold one of engagement's events into the tables (other types are not these tables')."""
    changed_at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
    if isinstance(event, pb.EventScheduled):
        conn.execute(
            "INSERT INTO engagement_events (event_id, tenant, kind, title, description,"
            " ward_codes, starts_at, ends_at, place_text, postcode, place_tbc, agency,"
            " organising_agency, contact_role, group_id, scheduled_by, changed_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.event_id,
                envelope.tenant,
                event.kind,
                event.title,
                event.description,
                list(event.ward_codes),
                _at(event.starts_at),
                _at(event.ends_at),
                event.place.text,
                event.place.postcode,
                event.place.to_be_confirmed,
                event.agency,
                event.organising_agency,
                event.contact_role,
                event.group_id,
                event.scheduled_by,
                changed_at,
            ),
        )
    elif isinstance(event, pb.EventMoved):
        conn.execute(
            "UPDATE engagement_events SET starts_at = %s, ends_at = %s, place_text = %s,"
            " postcode = %s, place_tbc = %s, sequence = %s, changed_at = %s WHERE event_id = %s",
            (
                _at(event.starts_at),
                _at(event.ends_at),
                event.place.text,
                event.place.postcode,
                event.place.to_be_confirmed,
                event.sequence,
                changed_at,
                event.event_id,
            ),
        )
    elif isinstance(event, pb.EventCancelled):
        conn.execute(
            "UPDATE engagement_events SET status = 'cancelled', cancel_reason = %s,"
            " sequence = %s, changed_at = %s WHERE event_id = %s",
            (event.reason, event.sequence, changed_at, event.event_id),
        )
    elif isinstance(event, pb.EventOutcomeRecorded):
        outcome = {
            "issues_raised": list(event.issues_raised),
            "actions_agreed": [
                {"description": a.description, "priority_id": a.priority_id or None}
                for a in event.actions_agreed
            ],
            "attendance": event.attendance if event.HasField("attendance") else None,
        }
        conn.execute(
            "UPDATE engagement_events SET outcome = %s WHERE event_id = %s",
            (json.dumps(outcome), event.event_id),
        )
    else:
        _apply_registration(conn, envelope.tenant, event)


def _apply_registration(conn: Conn, tenant: str, event: Message) -> None:
    if isinstance(event, pb.InterestRegistered):
        conn.execute(
            "INSERT INTO event_registrations (event_id, account_id, tenant) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (event.event_id, event.account_id, tenant),
        )
    elif isinstance(event, pb.InterestWithdrawn):
        conn.execute(
            "DELETE FROM event_registrations WHERE event_id = %s AND account_id = %s",
            (event.event_id, event.account_id),
        )
