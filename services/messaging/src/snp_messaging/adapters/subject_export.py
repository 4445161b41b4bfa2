"""Messaging's part of a subject access export: the account's inbox, preferences, delivery
statuses, consent history, ratings, poll answers and named replies (SQL over messaging's own
tables and event store). Anonymous replies are not in it: nothing links them to the account."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters.digests import waiting_for_member
from snp_messaging.adapters.event_streams import recipient_stream
from snp_messaging.adapters.feedback import member_feedback
from snp_messaging.adapters.replies import member_replies
from snp_messaging.domain.events import event_type

Conn = psycopg.Connection[Any]
_CONSENT = event_type(pb.ProviderConsentChanged())


def subject_part(conn: Conn, tenant: str, account_id: str) -> dict[str, Any]:
    """`{inbox, preferences, deliveries, consent_history, ratings, poll_answers, replies}` of
    one account of one tenant."""
    return {
        "inbox": _inbox(conn, tenant, account_id),
        "preferences": _preferences(conn, tenant, account_id),
        "deliveries": _deliveries(conn, tenant, account_id),
        "consent_history": _consent_history(conn, tenant, account_id),
        **member_feedback(conn, tenant, account_id),
        "replies": member_replies(conn, tenant, account_id),
    }


def _inbox(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT m.message_id, m.subject, m.body, m.sender_role, m.sender_force, m.priority,"
        " i.reason FROM inbox i JOIN messages m ON m.message_id = i.message_id"
        " WHERE i.tenant = %s AND i.account_id = %s ORDER BY m.message_id",
        (tenant, account_id),
    ).fetchall()
    keys = ("message_id", "subject", "body", "sender_role", "sender_force", "priority", "reason")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _preferences(conn: Conn, tenant: str, account_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT channels, areas, minimum_priority, digest, digest_below, quiet_start, quiet_end"
        " FROM preferences WHERE tenant = %s AND account_id = %s",
        (tenant, account_id),
    ).fetchone()
    if row is None:
        return None  # never chose: the platform's defaults apply
    channels, areas, minimum, digest, below, quiet_start, quiet_end = row
    return {
        "channels": channels,
        "areas": areas,
        "minimum_priority": minimum,
        "digest": digest,
        "digest_below": below,
        "quiet_hours": {"start": quiet_start, "end": quiet_end} if quiet_start else None,
        # Each message held for the member's digest, and the digest that listed it (or None).
        "digest_items": waiting_for_member(conn, tenant, account_id),
    }


def _deliveries(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT message_id, channel, status, attempts, updated_at FROM deliveries"
        " WHERE tenant = %s AND account_id = %s ORDER BY updated_at, delivery_id",
        (tenant, account_id),
    ).fetchall()
    keys = ("message_id", "channel", "status", "attempts", "updated_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _consent_history(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    stream = recipient_stream(tenant, account_id)
    rows = conn.execute(
        "SELECT payload, occurred_at FROM events WHERE tenant = %s AND stream_id = %s"
        " AND event_type = %s ORDER BY stream_version",
        (tenant, stream.stream_id, _CONSENT),
    ).fetchall()
    changes = []
    for payload, at in rows:
        changed = pb.ProviderConsentChanged.FromString(bytes(payload))
        provider = {"id": changed.provider.id, "name": changed.provider.name}
        changes.append({"provider": provider, "on": changed.on, "changed_at": at})
    return changes
