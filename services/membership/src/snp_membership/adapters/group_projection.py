"""The group tables, folded from membership's own events. The same `apply` keeps them live
(in each append's transaction) and rebuilds them from scratch, so the two cannot differ."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_membership.adapters.schema import GROUP_TABLES
from snp_membership.domain.events import parse_event
from snp_membership.domain.model import LEADING_OFFICES

Conn = psycopg.Connection[Any]


class GroupProjection:
    name = "membership-groups"

    def reset(self, conn: Conn) -> None:
        conn.execute(f"TRUNCATE {', '.join(GROUP_TABLES)}")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        event = parse_event(envelope.event_type, envelope.payload)
        if isinstance(event, pb.AreaSet):
            _area(conn, envelope.tenant, event)
            return
        if isinstance(event, pb.AreaExported):  # a record of who exported what: no rows
            return
        at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
        _APPLY[type(event)](conn, event, at)
        if not isinstance(event, pb.GroupCreated):
            conn.execute(
                "UPDATE groups SET version = %s WHERE group_id = %s",
                (envelope.stream_version, envelope.stream_id),
            )


def _area(conn: Conn, tenant: str, e: pb.AreaSet) -> None:
    conn.execute(
        "INSERT INTO areas (account_id, tenant, ward_codes) VALUES (%s, %s, %s) "
        "ON CONFLICT (account_id) DO UPDATE SET ward_codes = EXCLUDED.ward_codes "
        "WHERE areas.tenant = EXCLUDED.tenant",
        (e.account_id, tenant, list(e.ward_codes)),
    )


def _created(conn: Conn, e: pb.GroupCreated, at: datetime) -> None:
    g = e.group
    conn.execute(
        "INSERT INTO groups (group_id, tenant, group_type, ward_code, ward_name, name, "
        "description, visibility, directory, status, version, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'open', 1, %s)",
        (
            g.group_id,
            g.tenant,
            g.group_type,
            g.ward_code,
            g.ward_name,
            e.name,
            e.description,
            e.visibility,
            e.directory,
            at,
        ),
    )


def _updated(conn: Conn, e: pb.GroupUpdated, _at: datetime) -> None:
    conn.execute(
        "UPDATE groups SET name = %s, description = %s, directory = %s WHERE group_id = %s",
        (e.name, e.description, e.directory, e.group.group_id),
    )


def _visibility(conn: Conn, e: pb.GroupVisibilityChanged, _at: datetime) -> None:
    conn.execute(
        "UPDATE groups SET visibility = %s WHERE group_id = %s", (e.visibility, e.group.group_id)
    )


def _closed(conn: Conn, e: pb.GroupClosed, _at: datetime) -> None:
    conn.execute("UPDATE groups SET status = 'closed' WHERE group_id = %s", (e.group.group_id,))


def _requested(conn: Conn, e: pb.JoinRequested, at: datetime) -> None:
    conn.execute(
        "INSERT INTO join_requests (request_id, group_id, account_id, status, requested_at) "
        "VALUES (%s, %s, %s, 'pending', %s)",
        (e.request_id, e.group.group_id, e.account_id, at),
    )


def _rejected(conn: Conn, e: pb.JoinRejected, _at: datetime) -> None:
    conn.execute(
        "UPDATE join_requests SET status = 'rejected' WHERE request_id = %s", (e.request_id,)
    )


def _admitted(conn: Conn, e: pb.MemberAdmitted, at: datetime) -> None:
    conn.execute(
        "INSERT INTO group_members (group_id, account_id, tenant, admitted_at) "
        "VALUES (%s, %s, %s, %s)",
        (e.group.group_id, e.account_id, e.group.tenant, at),
    )
    if e.request_id:
        conn.execute(
            "UPDATE join_requests SET status = 'admitted' WHERE request_id = %s", (e.request_id,)
        )


def _ended(conn: Conn, e: pb.MemberLeft | pb.MemberRemoved, _at: datetime) -> None:
    for table in ("group_members", "group_officers", "approvals"):
        conn.execute(
            f"DELETE FROM {table} WHERE group_id = %s AND account_id = %s",  # noqa: S608
            (e.group.group_id, e.account_id),
        )


def _appointed(conn: Conn, e: pb.OfficerAppointed, _at: datetime) -> None:
    conn.execute(
        "INSERT INTO group_officers (group_id, account_id, role) VALUES (%s, %s, %s)",
        (e.group.group_id, e.account_id, e.role),
    )
    if e.role in LEADING_OFFICES:
        conn.execute(
            "UPDATE groups SET needs_officer = false WHERE group_id = %s", (e.group.group_id,)
        )


def _stood_down(conn: Conn, e: pb.OfficerStoodDown, _at: datetime) -> None:
    conn.execute(
        "DELETE FROM group_officers WHERE group_id = %s AND account_id = %s AND role = %s",
        (e.group.group_id, e.account_id, e.role),
    )


def _marked(conn: Conn, e: pb.ApprovalMarked, _at: datetime) -> None:
    conn.execute(
        "INSERT INTO approvals (group_id, subject, account_id, side) VALUES (%s, %s, %s, %s)",
        (e.group.group_id, e.subject, e.account_id, e.side),
    )


def _withdrawn(conn: Conn, e: pb.ApprovalWithdrawn, _at: datetime) -> None:
    conn.execute(
        "DELETE FROM approvals WHERE group_id = %s AND subject = %s AND account_id = %s "
        "AND side = %s",
        (e.group.group_id, e.subject, e.account_id, e.side),
    )


def _needs_officer(conn: Conn, e: pb.GroupNeedsOfficer, _at: datetime) -> None:
    conn.execute("UPDATE groups SET needs_officer = true WHERE group_id = %s", (e.group.group_id,))


_APPLY: dict[type[Message], Callable[[Conn, Any, datetime], None]] = {
    pb.GroupCreated: _created,
    pb.GroupUpdated: _updated,
    pb.GroupVisibilityChanged: _visibility,
    pb.GroupClosed: _closed,
    pb.JoinRequested: _requested,
    pb.JoinRejected: _rejected,
    pb.MemberAdmitted: _admitted,
    pb.MemberLeft: _ended,
    pb.MemberRemoved: _ended,
    pb.OfficerAppointed: _appointed,
    pb.OfficerStoodDown: _stood_down,
    pb.ApprovalMarked: _marked,
    pb.ApprovalWithdrawn: _withdrawn,
    pb.GroupNeedsOfficer: _needs_officer,
}
