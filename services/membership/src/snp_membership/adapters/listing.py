"""Pages read from the group tables for membership's lists: candidate groups by name (the
caller's own filters only: which ones they see is the policy's answer), the markings on
groups, a group's members with their offices and markings, its waiting join requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from snp_membership.adapters.group_store import GROUP_COLUMNS, group_from_row
from snp_membership.domain.group_filter import APPROVAL_STATES, GroupFilter
from snp_membership.domain.model import Group

Conn = psycopg.Connection[Any]


def candidate_groups(
    conn: Conn, where: GroupFilter, after: tuple[str, str], limit: int
) -> list[Group]:
    """The tenant's groups matching `where`, after `after` (lower-cased name, group id) in that
    order: keyset paging on `groups_by_name`, so a page deep in 10,000 groups costs what the
    first one does. `ward_search` is what a resident types for their ward: its code, or part of
    its name."""
    clauses = ["tenant = %s", "(lower(name), group_id) > (%s, %s)"]
    params: list[Any] = [where.tenant, *after]
    for column, value in (
        ("ward_code", where.ward_code),
        ("group_type", where.group_type),
        ("status", where.status),
        ("visibility", where.visibility),
        ("needs_officer", where.needs_officer),
    ):
        if value is not None and value != "":
            clauses.append(f"{column} = %s")
            params.append(value)
    if where.name_contains:
        clauses.append("lower(name) LIKE %s ESCAPE '\\'")
        params.append(f"%{_escape_like(where.name_contains.lower())}%")
    if where.ward_search:
        clauses.append("(lower(ward_code) = %s OR lower(ward_name) LIKE %s ESCAPE '\\')")
        params += [where.ward_search.lower(), f"%{_escape_like(where.ward_search.lower())}%"]
    if where.approval:
        clauses.append(_APPROVAL_CLAUSES[where.approval])
    if where.awaiting_police is not None:
        clauses.append(_AWAITING_POLICE if where.awaiting_police else f"NOT {_AWAITING_POLICE}")
    # Only fixed clause texts are joined in; every value is a parameter.
    query = f"SELECT {GROUP_COLUMNS} FROM groups WHERE {' AND '.join(clauses)} "  # noqa: S608
    rows = conn.execute(query + "ORDER BY lower(name), group_id LIMIT %s", (*params, limit))
    return [group_from_row(r) for r in rows.fetchall()]


# Fixed clause texts, written out whole: no value is ever joined into them.
_POLICE_MARKED = (
    "EXISTS (SELECT 1 FROM approvals a WHERE a.group_id = groups.group_id "
    "AND a.subject = 'group' AND a.account_id = '' AND a.side = 'police')"
)
_COORDINATOR_SIDE_MARKED = (
    "EXISTS (SELECT 1 FROM approvals a WHERE a.group_id = groups.group_id "
    "AND a.subject = 'group' AND a.account_id = '' AND a.side = 'area_coordinator')"
)

# Each state of a group's own marking (checked against APPROVAL_STATES at the API; each
# EXISTS is one probe of the approvals key).
_APPROVAL_CLAUSES = {
    "police": _POLICE_MARKED,
    "area_coordinator": _COORDINATOR_SIDE_MARKED,
    "both": f"{_POLICE_MARKED} AND {_COORDINATOR_SIDE_MARKED}",
    "none": f"NOT {_POLICE_MARKED} AND NOT {_COORDINATOR_SIDE_MARKED}",
    "not_police": f"NOT {_POLICE_MARKED}",
}
assert set(_APPROVAL_CLAUSES) == set(APPROVAL_STATES)

# Waiting for police approval: the group itself, or one of its chairs or coordinators, has
# no police-side marking yet.
_AWAITING_POLICE = (
    "(NOT EXISTS (SELECT 1 FROM approvals a WHERE a.group_id = groups.group_id "
    "AND a.subject = 'group' AND a.account_id = '' AND a.side = 'police') "
    "OR EXISTS (SELECT 1 FROM group_officers o "
    "WHERE o.group_id = groups.group_id AND o.role IN ('chair', 'coordinator') "
    "AND NOT EXISTS (SELECT 1 FROM approvals c WHERE c.group_id = o.group_id "
    "AND c.subject = 'coordinator' AND c.account_id = o.account_id AND c.side = 'police')))"
)


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
