"""What other services are told about groups (MembershipQueries over gRPC), read from the
group tables and confined to the tenant the caller names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class GroupFacts:
    group_id: str
    group_type: str
    ward_code: str
    ward_name: str
    visibility: str
    status: str
    directory: str


_FACTS = "group_id, group_type, ward_code, ward_name, visibility, status, directory"


def group_facts(conn: Conn, tenant: str, group_id: str) -> GroupFacts | None:
    row = conn.execute(
        f"SELECT {_FACTS} FROM groups WHERE group_id = %s AND tenant = %s",  # noqa: S608
        (group_id, tenant),
    ).fetchone()
    return GroupFacts(*row) if row else None


def members_with_offices(
    conn: Conn, group_id: str, after: str, limit: int
) -> list[tuple[str, list[str]]]:
    """`limit` at most of the group's members after `after` (account id order), each with the
    offices it holds in role order."""
    rows = conn.execute(
        "SELECT m.account_id, coalesce(array_agg(o.role ORDER BY o.role) "
        "FILTER (WHERE o.role IS NOT NULL), '{}') FROM group_members m "
        "LEFT JOIN group_officers o ON o.group_id = m.group_id AND o.account_id = m.account_id "
        "WHERE m.group_id = %s AND m.account_id > %s GROUP BY m.account_id "
        "ORDER BY m.account_id LIMIT %s",
        (group_id, after, limit),
    ).fetchall()
    return [(r[0], list(r[1])) for r in rows]


def groups_of_member(conn: Conn, tenant: str, account_id: str) -> list[GroupFacts]:
    """The tenant's groups the account is a member of, in group id order."""
    rows = conn.execute(
        f"SELECT {', '.join('g.' + c for c in _FACTS.split(', '))} FROM group_members m "  # noqa: S608
        "JOIN groups g ON g.group_id = m.group_id "
        "WHERE m.account_id = %s AND g.tenant = %s ORDER BY g.group_id",
        (account_id, tenant),
    ).fetchall()
    return [GroupFacts(*r) for r in rows]


def groups_led_alone(conn: Conn, tenant: str, account_id: str) -> list[tuple[str, str, str]]:
    """(group id, name, office) of the tenant's groups where the account is the only holder of
    a leading office (chair or coordinator), in group id order."""
    rows = conn.execute(
        "SELECT g.group_id, g.name, min(o.role) FROM group_officers o "
        "JOIN groups g ON g.group_id = o.group_id "
        "WHERE o.account_id = %s AND g.tenant = %s AND o.role IN ('chair', 'coordinator') "
        "AND NOT EXISTS (SELECT 1 FROM group_officers other WHERE other.group_id = o.group_id "
        "AND other.account_id <> o.account_id AND other.role IN ('chair', 'coordinator')) "
        "GROUP BY g.group_id, g.name ORDER BY g.group_id",
        (account_id, tenant),
    ).fetchall()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]
