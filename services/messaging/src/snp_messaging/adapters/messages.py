"""The `messages` table: a sent message's row (written from its MessageSent), and messages as
members and senders read them: a member's inbox, a message by id, and the delivery counts and
per-recipient statuses its sender sees."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.rows import dict_row

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.domain.providers import NEIGHBOURHOOD_WATCH, POLICE, WATCH_ASSOCIATION_NAME

Conn = psycopg.Connection[Any]

_COLUMNS = (
    "message_id::text AS id, sender_id, sender_kind, sender_role, sender_force, audience_type,"  # noqa: S608 (constants only)
    " audience_id, group_id, subject, body, message_type, priority, link, recipients,"
    " attachments, created_at, sender_agency, provider_id,"
    # The provider's name, an organisation's, is read where it is kept (the agencies from
    # identity's events, the force's name), not copied onto the message.
    " coalesce((SELECT a.name FROM agencies a WHERE a.agency_id = m.provider_id),"
    f" CASE m.provider_id WHEN '{POLICE}' THEN m.sender_force"
    f" WHEN '{NEIGHBOURHOOD_WATCH}' THEN '{WATCH_ASSOCIATION_NAME}' ELSE '' END)"
    " AS provider_name,"
    # A correction or withdrawal names its original; an original lists what followed it up.
    " m.follow_up_of::text AS follow_up_of, m.follow_up_kind,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('id', f.message_id::text, 'kind',"
    " f.follow_up_kind, 'subject', f.subject, 'sent_at', f.created_at)"
    " ORDER BY f.created_at, f.message_id), '[]'::jsonb)"
    " FROM messages f WHERE f.follow_up_of = m.message_id) AS follow_ups"
)

# An inbox entry also says why it reached the member: its basis (an alert's), whom an alert is
# from, and the names of the ward and the group it went to, for the reason's words.
_INBOX_COLUMNS = (
    _COLUMNS + ", i.reason AS basis,"  # noqa: S608 (constants only)
    " (SELECT min(g.ward_name) FROM groups g WHERE m.audience_type = 'ward'"
    " AND g.tenant = m.tenant AND g.ward_code = m.audience_id) AS ward_name,"
    " (SELECT g.name FROM groups g WHERE g.group_id = m.group_id) AS group_name"
)


def record_sent(conn: Conn, tenant: str, sent: pb.MessageSent) -> None:
    """The row of a message about to be recorded as sent (its MessageSent)."""
    attachments = [
        {
            "id": a.attachment_id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
        }
        for a in sent.attachments
    ]
    conn.execute(
        "INSERT INTO messages (message_id, tenant, sender_id, sender_kind, sender_role,"
        " sender_force, audience_type, audience_id, group_id, subject, body, message_type,"
        " priority, link, recipients, attachments, sender_agency, provider_id, follow_up_of,"
        " follow_up_kind) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s::jsonb,%s,%s,"
        " %s::uuid,%s)",
        (
            sent.message_id,
            tenant,
            sent.sender.account_id,
            sent.sender.kind,
            sent.sender.role,
            sent.sender.force,
            sent.audience.type,
            sent.audience.id,
            sent.audience.group_id,
            sent.subject,
            sent.body,
            sent.message_type,
            sent.priority,
            sent.link,
            sent.recipients,
            json.dumps(attachments),
            sent.sender.agency_id,
            sent.provider.id,
            sent.follows_up.message_id or None,
            sent.follows_up.kind,
        ),
    )


def lock_message(conn: Conn, message_id: str) -> None:
    """Hold the message's row until the transaction ends: its follow-ups are decided one at a
    time (a withdrawal and a correction racing would both pass the check)."""
    conn.execute("SELECT 1 FROM messages WHERE message_id = %s FOR UPDATE", (message_id,))


def inbox_page(
    conn: Conn, tenant: str, account_id: str, before: str | None, limit: int
) -> list[dict[str, Any]]:
    """What the account was sent, newest first, from before the message `before` (if given)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"SELECT {_INBOX_COLUMNS} FROM inbox i JOIN messages m USING (message_id) "  # noqa: S608
            "WHERE i.account_id = %(me)s AND i.tenant = %(tenant)s AND (%(before)s::uuid IS NULL"
            " OR (m.created_at, m.message_id) < (SELECT created_at, message_id FROM messages"
            " WHERE message_id = %(before)s::uuid)) ORDER BY m.created_at DESC, m.message_id DESC"
            " LIMIT %(limit)s",
            {"me": account_id, "tenant": tenant, "before": before, "limit": limit},
        )
        return cur.fetchall()


def inbox_message(
    conn: Conn, tenant: str, account_id: str, message_id: str
) -> dict[str, Any] | None:
    """One message of the account's inbox (None if it was not sent to them)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"SELECT {_INBOX_COLUMNS} FROM inbox i JOIN messages m USING (message_id) "  # noqa: S608
            "WHERE i.account_id = %s AND i.tenant = %s AND i.message_id = %s::uuid",
            (account_id, tenant, message_id),
        )
        return cur.fetchone()


def group_messages(
    conn: Conn, tenant: str, group_id: str, before: str | None, limit: int
) -> list[dict[str, Any]]:
    """Messages to the group or to one of its mailing lists, newest first, from before the
    message `before` (if given)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM messages m "  # noqa: S608
            "WHERE m.tenant = %(tenant)s AND m.group_id = %(group)s AND (%(before)s::uuid IS NULL"
            " OR (m.created_at, m.message_id) < (SELECT created_at, message_id FROM messages"
            " WHERE message_id = %(before)s::uuid)) ORDER BY m.created_at DESC, m.message_id DESC"
            " LIMIT %(limit)s",
            {"tenant": tenant, "group": group_id, "before": before, "limit": limit},
        )
        return cur.fetchall()


def find_message(conn: Conn, message_id: str) -> dict[str, Any] | None:
    """The message with its tenant, whichever tenant it is in."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"SELECT tenant, {_COLUMNS} FROM messages m WHERE message_id = %s",  # noqa: S608
            (message_id,),
        )
        return cur.fetchone()


def delivery_counts(conn: Conn, message_id: str) -> dict[str, int]:
    """How many of the message's deliveries are in each status (statuses with none absent)."""
    rows = conn.execute(
        "SELECT status, count(*) FROM deliveries WHERE message_id = %s GROUP BY status",
        (message_id,),
    )
    return {status: int(n) for status, n in rows}


def fallback_count(conn: Conn, message_id: str) -> int:
    """How many of the message's deliveries are texts in place of an email that failed."""
    row = conn.execute(
        "SELECT count(*) FROM deliveries WHERE message_id = %s AND fallback_of IS NOT NULL",
        (message_id,),
    ).fetchone()
    return int(row[0]) if row else 0


def delivery_page(
    conn: Conn, message_id: str, after: str | None, limit: int
) -> list[dict[str, Any]]:
    """The message's deliveries in delivery id order, after the delivery `after` (if given)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT delivery_id::text AS delivery_id, account_id, channel, status, attempts,"
            " last_error, updated_at, fallback_of::text AS fallback_of"
            " FROM deliveries WHERE message_id = %s"
            " AND (%s::uuid IS NULL OR delivery_id > %s::uuid) ORDER BY delivery_id LIMIT %s",
            (message_id, after, after, limit),
        )
        return cur.fetchall()


# The force's alerts: what its police and tenant admins sent, each with its delivery counts
# (one aggregate over the page's messages, by the deliveries_message index).
_ALERTS = f"""
SELECT {_COLUMNS}, coalesce(d.counts, '{{}}'::jsonb) AS counts FROM messages m
LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(status, n) AS counts FROM (
        SELECT status, count(*) AS n FROM deliveries
        WHERE message_id = m.message_id GROUP BY status) s
) d ON true
WHERE m.tenant = %(tenant)s AND m.sender_kind = ANY(%(kinds)s)
  AND (%(q)s::text IS NULL OR m.subject ILIKE '%%' || %(q)s || '%%' ESCAPE '\\')
  AND (%(audience)s::text IS NULL OR m.audience_type = %(audience)s)
  AND (%(before)s::uuid IS NULL OR (m.created_at, m.message_id) <
       (SELECT created_at, message_id FROM messages WHERE message_id = %(before)s::uuid))
ORDER BY m.created_at DESC, m.message_id DESC LIMIT %(limit)s
"""  # noqa: S608 (the columns are this module's constant)


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def alerts_page(
    conn: Conn,
    tenant: str,
    sender_kinds: list[str],
    q: str | None,
    audience_type: str | None,
    before: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Messages the tenant's accounts of `sender_kinds` sent, newest first, whose subject
    contains `q` (any case), to audiences of `audience_type`, from before `before`."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            _ALERTS,
            {
                "tenant": tenant,
                "kinds": sender_kinds,
                "q": _like_escaped(q) if q else None,
                "audience": audience_type,
                "before": before,
                "limit": limit,
            },
        )
        return cur.fetchall()


def outcome_counts(
    conn: Conn, message_id: str, sent_at: Any, interval_seconds: int
) -> list[tuple[int, str, int]]:
    """(interval index since `sent_at`, status, deliveries) of the message's deliveries by the
    time of their last attempt (or receipt: a bounce reported later counts when reported)."""
    rows = conn.execute(
        "SELECT floor(extract(epoch FROM updated_at - %s::timestamptz) / %s)::int, status,"
        " count(*) FROM deliveries WHERE message_id = %s AND status IN ('sent','failed','bounced')"
        " GROUP BY 1, 2",
        (sent_at, interval_seconds, message_id),
    ).fetchall()
    return [(int(i), str(s), int(n)) for i, s, n in rows]


def last_outcome_at(conn: Conn, message_id: str) -> Any:
    """When the message's latest outcome was recorded (None before the first)."""
    row = conn.execute(
        "SELECT max(updated_at) FROM deliveries WHERE message_id = %s"
        " AND status IN ('sent','failed','bounced')",
        (message_id,),
    ).fetchone()
    return row[0] if row else None
