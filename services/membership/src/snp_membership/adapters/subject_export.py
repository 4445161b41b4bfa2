"""Membership's part of a subject access export: the account's groups with its roles there,
and every request it made to join one (SQL over membership's own tables)."""

from __future__ import annotations

from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


def subject_part(conn: Conn, tenant: str, account_id: str) -> dict[str, Any]:
    """`{groups: [...], join_requests: [...]}` of one account of one tenant."""
    groups = conn.execute(
        "SELECT g.group_id, g.name, g.group_type, g.ward_name, m.admitted_at,"
        " coalesce(array_agg(o.role ORDER BY o.role) FILTER (WHERE o.role IS NOT NULL), '{}')"
        " FROM group_members m JOIN groups g ON g.group_id = m.group_id"
        " LEFT JOIN group_officers o ON o.group_id = m.group_id AND o.account_id = m.account_id"
        " WHERE m.tenant = %s AND m.account_id = %s"
        " GROUP BY g.group_id, g.name, g.group_type, g.ward_name, m.admitted_at"
        " ORDER BY m.admitted_at, g.group_id",
        (tenant, account_id),
    ).fetchall()
    requests = conn.execute(
        "SELECT r.request_id, r.group_id, g.name, r.status, r.requested_at"
        " FROM join_requests r JOIN groups g ON g.group_id = r.group_id"
        " WHERE g.tenant = %s AND r.account_id = %s ORDER BY r.requested_at, r.request_id",
        (tenant, account_id),
    ).fetchall()
    return {
        "groups": [
            {
                "group_id": gid,
                "name": name,
                "group_type": kind,
                "ward": ward,
                "member_since": admitted,
                "roles": ["member", *offices],
            }
            for gid, name, kind, ward, admitted, offices in groups
        ],
        "join_requests": [
            {"request_id": rid, "group_id": gid, "group_name": name, "status": st, "at": at}
            for rid, gid, name, st, at in requests
        ],
    }
