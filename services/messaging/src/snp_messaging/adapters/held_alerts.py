"""The `held_alerts` and `alert_rules` rows: police alerts waiting for a second officer (and
what became of them), and each force's rule, applied from messaging's own events by the read
model in the transaction recording them, and read back for the list and the decisions."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.domain.approvals import ApprovalRule, rule_of

Conn = psycopg.Connection[Any]


def approval_rule(conn: Conn, tenant: str) -> ApprovalRule:
    """Which of the force's alerts wait (none until set)."""
    row = conn.execute(
        "SELECT coalesce(force_wide, approval_required), coalesce(urgent, approval_required)"
        " FROM alert_rules WHERE tenant = %s",
        (tenant,),
    ).fetchone()
    return ApprovalRule(bool(row[0]), bool(row[1])) if row else ApprovalRule()


def apply_rule(conn: Conn, tenant: str, changed: pb.AlertApprovalRuleChanged) -> None:
    rule = rule_of(changed)
    conn.execute(
        "INSERT INTO alert_rules (tenant, approval_required, force_wide, urgent)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (tenant) DO UPDATE SET"
        " approval_required = EXCLUDED.approval_required, force_wide = EXCLUDED.force_wide,"
        " urgent = EXCLUDED.urgent",
        (tenant, rule.force_wide or rule.urgent, rule.force_wide, rule.urgent),
    )


def apply_held(conn: Conn, tenant: str, held: pb.AlertHeld) -> None:
    conn.execute(
        "INSERT INTO held_alerts (alert_id, tenant, sender_id, sender_kind, sender_role,"
        " sender_force, sender_agency, audience_type, audience_id, group_id, subject, body,"
        " message_type, priority, provider_id, provider_name, provider_kind, attachment_ids,"
        " status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'waiting')",
        (
            held.alert_id,
            tenant,
            held.sender.account_id,
            held.sender.kind,
            held.sender.role,
            held.sender.force,
            held.sender.agency_id,
            held.audience.type,
            held.audience.id,
            held.audience.group_id,
            held.subject,
            held.body,
            held.message_type,
            held.priority,
            held.provider.id,
            held.provider.name,
            held.provider.kind,
            list(held.attachment_ids),
        ),
    )


def apply_edited(conn: Conn, edited: pb.AlertEdited) -> None:
    conn.execute(
        "UPDATE held_alerts SET subject = %s, body = %s, message_type = %s, priority = %s"
        " WHERE alert_id = %s",
        (edited.subject, edited.body, edited.message_type, edited.priority, edited.alert_id),
    )


def apply_decided(conn: Conn, alert_id: str, status: str, by: str, reason: str) -> None:
    """An approval, a rejection or the sender's withdrawal: the alert waits no more."""
    conn.execute(
        "UPDATE held_alerts SET status = %s, decided_by = %s, reason = %s, decided_at = now()"
        " WHERE alert_id = %s",
        (status, by, reason, alert_id),
    )


def lock(conn: Conn, alert_id: str) -> None:
    """Hold the alert's row until the transaction ends (its approval sends it: one at a time)."""
    conn.execute("SELECT 1 FROM held_alerts WHERE alert_id = %s FOR UPDATE", (alert_id,))


_COLUMNS = (
    "alert_id::text AS id, tenant, sender_id, sender_kind, sender_role, sender_force,"
    " sender_agency, audience_type, audience_id, group_id, subject, body, message_type,"
    " priority, provider_id, provider_name, provider_kind, attachment_ids, status, decided_by,"
    " reason, created_at, decided_at"
)


def find(conn: Conn, alert_id: str) -> dict[str, Any] | None:
    """The held alert with its tenant, whichever tenant it is in."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM held_alerts WHERE alert_id = %s::uuid",  # noqa: S608
            (alert_id,),
        )
        return cur.fetchone()


def waiting(conn: Conn, tenant: str, limit: int) -> list[dict[str, Any]]:
    """The force's alerts waiting for a second officer, oldest first (the next to decide)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM held_alerts"  # noqa: S608 (constant columns)
            " WHERE tenant = %s AND status = 'waiting' ORDER BY created_at, alert_id LIMIT %s",
            (tenant, limit),
        )
        return cur.fetchall()
