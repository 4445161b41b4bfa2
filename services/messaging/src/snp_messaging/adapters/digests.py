"""Digests and quiet hours as stored: the force's digest time, the messages waiting for each
member's digest (claimed by the digest job, marked with the digest that lists them), and the
deliveries quiet hours hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from snp_messaging.domain.digests import DEFAULT_SCHEDULE, Cadence, DigestSchedule
from snp_messaging.domain.london import parse_clock_time
from snp_messaging.domain.quiet_hours import QuietHours

Conn = psycopg.Connection[Any]


def find_schedule(conn: Conn, tenant: str) -> DigestSchedule | None:
    """The force's digest time, or None while it never set one (DEFAULT_SCHEDULE applies)."""
    row = conn.execute(
        "SELECT at_time, weekday FROM digest_schedules WHERE tenant = %s", (tenant,)
    ).fetchone()
    return None if row is None else DigestSchedule(parse_clock_time(row[0]), str(row[1]))


def schedule_of(conn: Conn, tenant: str) -> DigestSchedule:
    return find_schedule(conn, tenant) or DEFAULT_SCHEDULE


@dataclass(frozen=True)
class Waiting:
    """A member with messages waiting for their digest, and its cadence (a member who turned
    their digest off, or whose preferences went, still gets what waited, daily)."""

    tenant: str
    account_id: str
    cadence: Cadence
    quiet_hours: QuietHours | None = None  # the digest's mail waits for their end


def members_waiting(conn: Conn) -> list[Waiting]:
    rows = conn.execute(
        "SELECT DISTINCT i.tenant, i.account_id, coalesce(p.digest, 'none'),"
        " coalesce(p.quiet_start, ''), coalesce(p.quiet_end, '')"
        " FROM digest_items i LEFT JOIN preferences p ON p.account_id = i.account_id"
        " WHERE i.digest_id IS NULL ORDER BY 1, 2"
    ).fetchall()
    return [
        Waiting(t, a, Cadence.DAILY if c == Cadence.NONE else Cadence(c), _quiet(start, end))
        for t, a, c, start, end in rows
    ]


def _quiet(start: str, end: str) -> QuietHours | None:
    if not start or not end:
        return None
    return QuietHours(parse_clock_time(start), parse_clock_time(end))


@dataclass(frozen=True)
class HeldMessage:
    """A message listed in a digest: what the list shows of it."""

    message_id: str
    subject: str
    priority: str
    sender_role: str
    sender_force: str
    sent_at: datetime


def claim_waiting(conn: Conn, account_id: str, held_before: datetime) -> list[HeldMessage]:
    """The member's messages held before `held_before` and in no digest yet, oldest first,
    locked for the caller's transaction (another job's locked rows are skipped: it is
    sending them)."""
    rows = conn.execute(
        "SELECT m.message_id::text, m.subject, m.priority, m.sender_role, m.sender_force,"
        " m.created_at FROM digest_items i JOIN messages m ON m.message_id = i.message_id"
        " WHERE i.account_id = %s AND i.digest_id IS NULL AND i.held_at < %s"
        " ORDER BY i.held_at, m.message_id FOR UPDATE OF i SKIP LOCKED",
        (account_id, held_before),
    ).fetchall()
    return [HeldMessage(*r) for r in rows]


def mark_covered(conn: Conn, account_id: str, message_ids: Sequence[str], digest_id: str) -> None:
    conn.execute(
        "UPDATE digest_items SET digest_id = %s WHERE account_id = %s"
        " AND message_id = ANY(%s::uuid[])",
        (digest_id, account_id, list(message_ids)),
    )


def waiting_for_member(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    """What waits for the member's digest, and what past digests listed (subject export)."""
    rows = conn.execute(
        "SELECT message_id::text, held_at, digest_id::text FROM digest_items"
        " WHERE tenant = %s AND account_id = %s ORDER BY held_at, message_id",
        (tenant, account_id),
    ).fetchall()
    return [{"message_id": m, "held_at": h, "digest_id": d} for m, h, d in rows]


def release_held(conn: Conn, now: datetime) -> int:
    """Deliveries whose quiet hours ended by `now` become pending, due at once; how many."""
    return conn.execute(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()"
        " WHERE status = 'held' AND next_attempt_at <= %s",
        (now,),
    ).rowcount
