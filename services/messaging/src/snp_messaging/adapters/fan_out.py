"""A message's fan-out rows, written in bulk: an inbox entry per recipient and a `pending`
delivery per recipient and channel (each with a delivery id that never changes); a delivery
held for the end of quiet hours, and a message held for a member's digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


def record_inbox(
    conn: Conn,
    tenant: str,
    message_id: str,
    account_ids: Sequence[str],
    reasons: Sequence[str] = (),
) -> int:
    """One inbox entry per account, each with its reason (beside it in `reasons`; none: '');
    how many were written."""
    if not account_ids:
        return 0
    if not any(reasons):  # a group's message: one array fewer to send for a large audience
        return conn.execute(
            "INSERT INTO inbox (tenant, account_id, message_id)"
            " SELECT %s, account_id, %s FROM unnest(%s::text[]) AS a(account_id)",
            (tenant, message_id, list(account_ids)),
        ).rowcount
    return conn.execute(
        "INSERT INTO inbox (tenant, account_id, message_id, reason)"
        " SELECT %s, account_id, %s, reason FROM unnest(%s::text[], %s::text[])"
        " AS a(account_id, reason)",
        (tenant, message_id, list(account_ids), list(reasons)),
    ).rowcount


def record_deliveries(
    conn: Conn, tenant: str, message_id: str, deliveries: Sequence[tuple[str, str]]
) -> int:
    """One pending delivery per (account id, channel); how many were written."""
    if not deliveries:
        return 0
    return conn.execute(
        "INSERT INTO deliveries (delivery_id, message_id, tenant, account_id, channel, status)"
        " SELECT gen_random_uuid(), %s, %s, account_id, channel, 'pending'"
        " FROM unnest(%s::text[], %s::text[]) AS d(account_id, channel)",
        (message_id, tenant, [a for a, _ in deliveries], [c for _, c in deliveries]),
    ).rowcount


def record_held_deliveries(
    conn: Conn, tenant: str, message_id: str, held: Sequence[tuple[str, str, datetime]]
) -> int:
    """One `held` delivery per (account id, channel, until): quiet hours keep it until then,
    when the relay's release makes it pending (service_layer/scheduled_sends.py)."""
    if not held:
        return 0
    return conn.execute(
        "INSERT INTO deliveries"
        " (delivery_id, message_id, tenant, account_id, channel, status, next_attempt_at)"
        " SELECT gen_random_uuid(), %s, %s, account_id, channel, 'held', until"
        " FROM unnest(%s::text[], %s::text[], %s::timestamptz[]) AS d(account_id, channel, until)",
        (
            message_id,
            tenant,
            [a for a, _, _ in held],
            [c for _, c, _ in held],
            [u for *_, u in held],
        ),
    ).rowcount


def record_digest_items(
    conn: Conn, tenant: str, message_id: str, account_ids: Sequence[str]
) -> int:
    """The message waits for each account's digest (it is in their inbox already)."""
    if not account_ids:
        return 0
    return conn.execute(
        "INSERT INTO digest_items (tenant, account_id, message_id)"
        " SELECT %s, account_id, %s FROM unnest(%s::text[]) AS a(account_id)",
        (tenant, message_id, list(account_ids)),
    ).rowcount


def copy_recipients(conn: Conn, original_id: str, message_id: str) -> tuple[int, int]:
    """A follow-up's rows: an inbox entry for each of the original's (its reason kept) and a
    pending delivery for each of its deliveries (same account, same channel), not a new
    fan-out, so exactly those the original reached hear of the change (an erased account's
    delivery is recorded `skipped`). A member who had the original in a digest has no
    delivery of it: if that digest went, the follow-up is emailed to them now; if it has
    not, the follow-up waits in it beside the original. (inbox, deliveries)."""
    inbox = conn.execute(
        "INSERT INTO inbox (tenant, account_id, message_id, reason)"
        " SELECT tenant, account_id, %s, reason FROM inbox WHERE message_id = %s",
        (message_id, original_id),
    ).rowcount
    # An account erased since the original is skipped, not sent to: it has no address left,
    # and a failure would mark a contact problem for an account that no longer exists.
    deliveries = conn.execute(
        "INSERT INTO deliveries (delivery_id, message_id, tenant, account_id, channel, status,"
        " last_error)"
        " SELECT gen_random_uuid(), %s, d.tenant, d.account_id, d.channel,"
        " CASE WHEN e.account_id IS NULL THEN 'pending' ELSE 'skipped' END,"
        " CASE WHEN e.account_id IS NULL THEN '' ELSE 'account erased' END"
        " FROM deliveries d LEFT JOIN erased_accounts e ON e.account_id = d.account_id"
        " WHERE d.message_id = %s",
        (message_id, original_id),
    ).rowcount
    return inbox, deliveries + _copy_digested(conn, original_id, message_id)


def _copy_digested(conn: Conn, original_id: str, message_id: str) -> int:
    """The follow-up for members who had the original in a digest; how many deliveries."""
    # Wait for a digest being recorded now with the original in it: the statements below
    # then see whether it went (READ COMMITTED: each statement sees what committed before it).
    conn.execute(
        "SELECT 1 FROM digest_items WHERE message_id = %s FOR UPDATE", (original_id,)
    ).fetchall()
    sent = conn.execute(
        "INSERT INTO deliveries (delivery_id, message_id, tenant, account_id, channel, status,"
        " last_error)"
        " SELECT gen_random_uuid(), %s, i.tenant, i.account_id, 'email',"
        " CASE WHEN e.account_id IS NULL THEN 'pending' ELSE 'skipped' END,"
        " CASE WHEN e.account_id IS NULL THEN '' ELSE 'account erased' END"
        " FROM digest_items i LEFT JOIN erased_accounts e ON e.account_id = i.account_id"
        " WHERE i.message_id = %s AND i.digest_id IS NOT NULL"
        " ON CONFLICT (message_id, account_id, channel) DO NOTHING",
        (message_id, original_id),
    ).rowcount
    conn.execute(
        "INSERT INTO digest_items (tenant, account_id, message_id)"
        " SELECT tenant, account_id, %s FROM digest_items"
        " WHERE message_id = %s AND digest_id IS NULL",
        (message_id, original_id),
    )
    return sent


def recipient_counts(conn: Conn, message_id: str) -> tuple[int, int]:
    """How many inbox entries and deliveries the message has."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM inbox WHERE message_id = %s),"
        " (SELECT count(*) FROM deliveries WHERE message_id = %s)",
        (message_id, message_id),
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
