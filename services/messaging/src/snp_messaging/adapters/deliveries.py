"""The deliveries' working state: due ones claimed by the dispatcher and marked queued, queued
ones read and locked by the workers, each attempt's outcome, and Notify's receipts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class Due:
    delivery_id: str
    message_id: str
    tenant: str
    account_id: str
    channel: str
    attempts: int


def claim_due(conn: Conn, limit: int) -> list[Due]:
    """Pending deliveries whose turn has come, locked for the caller's transaction; rows
    another dispatcher holds are skipped, so several can run."""
    rows = conn.execute(
        "SELECT delivery_id::text, message_id::text, tenant, account_id, channel, attempts"
        " FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()"
        " ORDER BY next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED",
        (limit,),
    ).fetchall()
    return [Due(*r) for r in rows]


def mark_queued(conn: Conn, delivery_ids: Sequence[str]) -> None:
    conn.execute(
        "UPDATE deliveries SET status = 'queued', updated_at = now() "
        "WHERE delivery_id = ANY(%s::uuid[])",
        (list(delivery_ids),),
    )


def requeue_stale(conn: Conn, older_than_seconds: float) -> int:
    """Back to pending: queued deliveries no worker finished in time; how many."""
    return conn.execute(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = now() "
        "WHERE status = 'queued' AND updated_at < now() - make_interval(secs => %s)",
        (older_than_seconds,),
    ).rowcount


# FOR SHARE waits for a dispatcher still committing these rows as queued (its job can arrive
# before its commit) and then returns their committed status; only `queued` ones are attempted.
_TO_ATTEMPT = """
SELECT d.delivery_id::text AS delivery_id, d.status, d.tenant, d.account_id, d.channel,
       m.message_id::text AS message_id, m.subject, m.body, m.priority, m.sender_id,
       m.sender_role, m.sender_force, m.link, m.attachments, m.message_type,
       m.sender_kind, m.group_id, d.fallback_of IS NOT NULL AS is_fallback,
       EXISTS (SELECT 1 FROM polls p WHERE p.message_id = m.message_id) AS has_poll
FROM deliveries d JOIN messages m USING (message_id)
WHERE d.delivery_id = ANY(%s::uuid[]) AND d.status IN ('pending', 'queued')
FOR SHARE OF d
"""


def queued_with_messages(conn: Conn, delivery_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The still-queued deliveries among these ids, each with its message (one row each)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(_TO_ATTEMPT, (list(delivery_ids),)).fetchall()
    return [r for r in rows if r["status"] == "queued"]


def lock(conn: Conn, delivery_id: str) -> tuple[str, int] | None:
    """The delivery's status and attempts so far, its row locked for the caller's transaction."""
    row = conn.execute(
        "SELECT status, attempts FROM deliveries WHERE delivery_id = %s FOR UPDATE",
        (delivery_id,),
    ).fetchone()
    return (str(row[0]), int(row[1])) if row else None


def record_attempt(
    conn: Conn,
    delivery_id: str,
    status: str,
    attempts: int,
    retry_in_seconds: float,
    last_error: str,
    provider_reference: str,
) -> None:
    conn.execute(
        "UPDATE deliveries SET status = %s, attempts = %s, updated_at = now(),"
        " next_attempt_at = now() + make_interval(secs => %s), last_error = %s,"
        " provider_ref = %s WHERE delivery_id = %s",
        (status, attempts, retry_in_seconds, last_error, provider_reference, delivery_id),
    )


@dataclass(frozen=True)
class Receipted:
    """A delivery a provider's receipt names."""

    tenant: str
    account_id: str
    channel: str
    message_id: str
    status: str


def lock_for_receipt(conn: Conn, delivery_id: str) -> Receipted | None:
    row = conn.execute(
        "SELECT tenant, account_id, channel, message_id::text, status FROM deliveries"
        " WHERE delivery_id = %s::uuid FOR UPDATE",
        (delivery_id,),
    ).fetchone()
    return Receipted(*row) if row else None


def record_receipt(conn: Conn, delivery_id: str, status: str, last_error: str) -> None:
    conn.execute(
        "UPDATE deliveries SET status = %s, last_error = %s, updated_at = now()"
        " WHERE delivery_id = %s::uuid",
        (status, last_error, delivery_id),
    )


def priority_and_subject(conn: Conn, message_id: str) -> tuple[str, str]:
    """The message's priority and subject (both "" for an unknown id)."""
    row = conn.execute(
        "SELECT priority, subject FROM messages WHERE message_id = %s::uuid", (message_id,)
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else ("", "")


def record_fallback(
    conn: Conn, tenant: str, message_id: str, account_id: str, channel: str, failed_id: str
) -> str | None:
    """A pending delivery of the message on `channel` in place of the failed delivery
    `failed_id`; its id, or None when the member has one on that channel already (they chose
    it, or an earlier fallback made it: the unique message, account and channel)."""
    row = conn.execute(
        "INSERT INTO deliveries (delivery_id, message_id, tenant, account_id, channel, status,"
        " fallback_of) VALUES (gen_random_uuid(), %s::uuid, %s, %s, %s, 'pending', %s::uuid)"
        " ON CONFLICT (message_id, account_id, channel) DO NOTHING RETURNING delivery_id::text",
        (message_id, tenant, account_id, channel, failed_id),
    ).fetchone()
    return str(row[0]) if row else None
