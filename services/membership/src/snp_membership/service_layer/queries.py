"""Membership's answers to other services (over gRPC): roles, members, an account's groups.
Everything is read from the group tables and confined to the tenant the caller names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from snp_membership.adapters.group_store import group_roles

MAX_PAGE = 1000


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


def group_facts(conn: psycopg.Connection[Any], tenant: str, group_id: str) -> GroupFacts | None:
    row = conn.execute(
        f"SELECT {_FACTS} FROM groups WHERE group_id = %s AND tenant = %s",  # noqa: S608
        (group_id, tenant),
    ).fetchone()
    return GroupFacts(*row) if row else None


def roles_in_group(conn: psycopg.Connection[Any], group_id: str, account_id: str) -> list[str]:
    return group_roles(conn, account_id, [group_id]).get(group_id, [])


def members(
    conn: psycopg.Connection[Any], group_id: str, after: str, page_size: int
) -> tuple[list[tuple[str, list[str]]], str]:
    """(account id, roles) in account id order after `after`, and the next page's token."""
    rows = conn.execute(
        "SELECT m.account_id, coalesce(array_agg(o.role ORDER BY o.role) "
        "FILTER (WHERE o.role IS NOT NULL), '{}') FROM group_members m "
        "LEFT JOIN group_officers o ON o.group_id = m.group_id AND o.account_id = m.account_id "
        "WHERE m.group_id = %s AND m.account_id > %s GROUP BY m.account_id "
        "ORDER BY m.account_id LIMIT %s",
        (group_id, after, page_size + 1),
    ).fetchall()
    page = [(r[0], ["member", *r[1]]) for r in rows[:page_size]]
    return page, page[-1][0] if len(rows) > page_size else ""


def account_groups(
    conn: psycopg.Connection[Any], tenant: str, account_id: str
) -> list[tuple[GroupFacts, list[str]]]:
    rows = conn.execute(
        f"SELECT {', '.join('g.' + c for c in _FACTS.split(', '))} FROM group_members m "  # noqa: S608
        "JOIN groups g ON g.group_id = m.group_id "
        "WHERE m.account_id = %s AND g.tenant = %s ORDER BY g.group_id",
        (account_id, tenant),
    ).fetchall()
    facts = [GroupFacts(*r) for r in rows]
    roles = group_roles(conn, account_id, [f.group_id for f in facts])
    return [(f, roles.get(f.group_id, ["member"])) for f in facts]
