"""Pages read from the group tables for membership's lists: candidate groups by name (the
caller's own filters only: which ones they see is the policy's answer), the markings on
groups, a group's members with their offices and markings, its waiting join requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from snp_membership.adapters.group_store import GROUP_COLUMNS, group_from_row
from snp_membership.domain.model import Group

Conn = psycopg.Connection[Any]


def candidate_groups(
    conn: Conn,
    tenant: str,
    after: tuple[str, str],
    limit: int,
    *,
    ward_code: str | None = None,
    name_contains: str | None = None,
    ward_search: str | None = None,
) -> list[Group]:
    """The tenant's groups after `after` (lower-cased name, group id) in that order.
    `ward_search` is what a resident types for their ward: its code, or part of its name."""
    clauses, params = ["tenant = %s", "(lower(name), group_id) > (%s, %s)"], [tenant, *after]
    if ward_code:
        clauses.append("ward_code = %s")
        params.append(ward_code)
    if name_contains:
        clauses.append("lower(name) LIKE %s ESCAPE '\\'")
        params.append(f"%{_escape_like(name_contains.lower())}%")
    if ward_search:
        clauses.append("(lower(ward_code) = %s OR lower(ward_name) LIKE %s ESCAPE '\\')")
        params += [ward_search.lower(), f"%{_escape_like(ward_search.lower())}%"]
    # Only fixed clause texts are joined in; every value is a parameter.
    query = f"SELECT {GROUP_COLUMNS} FROM groups WHERE {' AND '.join(clauses)} "  # noqa: S608
    rows = conn.execute(query + "ORDER BY lower(name), group_id LIMIT %s", (*params, limit))
    return [group_from_row(r) for r in rows.fetchall()]


def group_marks(conn: Conn, group_ids: list[str]) -> dict[str, list[str]]:
    """The sides that marked each of these groups itself, in side order."""
    marks: dict[str, list[str]] = {}
    for group_id, side in conn.execute(
        "SELECT group_id, side FROM approvals WHERE subject = 'group' AND group_id = ANY(%s) "
        "ORDER BY side",
        (group_ids,),
    ):
        marks.setdefault(group_id, []).append(side)
    return marks


def member_ids(conn: Conn, group_id: str, after: str, limit: int) -> list[str]:
    """`limit` at most of the group's members after `after`, in account id order."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT account_id FROM group_members WHERE group_id = %s AND account_id > %s "
            "ORDER BY account_id LIMIT %s",
            (group_id, after, limit),
        )
    ]


def offices_of(conn: Conn, group_id: str, account_ids: list[str]) -> dict[str, list[str]]:
    """The offices each of these accounts holds in the group, in role order (none: absent)."""
    offices: dict[str, list[str]] = {}
    for account_id, role in conn.execute(
        "SELECT account_id, role FROM group_officers WHERE group_id = %s AND account_id = ANY(%s) "
        "ORDER BY role",
        (group_id, account_ids),
    ):
        offices.setdefault(account_id, []).append(role)
    return offices


def member_marks(
    conn: Conn, group_id: str, account_ids: list[str]
) -> dict[str, dict[str, list[str]]]:
    """Markings on each of these accounts in the group: subject to the sides that marked it."""
    marks: dict[str, dict[str, list[str]]] = {}
    for account_id, subject, side in conn.execute(
        "SELECT account_id, subject, side FROM approvals WHERE group_id = %s "
        "AND account_id = ANY(%s) ORDER BY subject, side",
        (group_id, account_ids),
    ):
        marks.setdefault(account_id, {}).setdefault(subject, []).append(side)
    return marks


def waiting_requests(conn: Conn, group_id: str, limit: int) -> list[tuple[str, str, datetime]]:
    """(request id, account id, requested at) of the group's pending requests, oldest first."""
    rows = conn.execute(
        "SELECT request_id, account_id, requested_at FROM join_requests "
        "WHERE group_id = %s AND status = 'pending' ORDER BY requested_at, request_id "
        "LIMIT %s",
        (group_id, limit),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def member_groups(conn: Conn, tenant: str, account_id: str) -> list[Group]:
    """The tenant's groups the account is a member of, by name."""
    rows = conn.execute(
        f"SELECT {GROUP_COLUMNS} FROM groups WHERE tenant = %s AND group_id IN "  # noqa: S608
        "(SELECT group_id FROM group_members WHERE account_id = %s) "
        "ORDER BY lower(name), group_id",
        (tenant, account_id),
    ).fetchall()
    return [group_from_row(r) for r in rows]


def requested_groups(conn: Conn, tenant: str, account_id: str) -> list[tuple[Group, str, datetime]]:
    """(group, request id, requested at) for each request of the account still waiting."""
    columns = ", ".join(f"g.{c}" for c in GROUP_COLUMNS.split(", "))
    rows = conn.execute(
        f"SELECT {columns}, r.request_id, r.requested_at FROM join_requests r "  # noqa: S608
        "JOIN groups g ON g.group_id = r.group_id "
        "WHERE r.account_id = %s AND r.status = 'pending' AND g.tenant = %s "
        "ORDER BY r.requested_at, r.request_id",
        (account_id, tenant),
    ).fetchall()
    width = len(GROUP_COLUMNS.split(", "))
    return [(group_from_row(r[:width]), r[width], r[width + 1]) for r in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
