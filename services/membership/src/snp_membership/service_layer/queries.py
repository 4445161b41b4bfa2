"""Membership's answers to other services (over gRPC): roles, members, an account's groups.
Everything is read from the group tables and confined to the tenant the caller names."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_membership.adapters import group_facts as facts_table
from snp_membership.adapters.group_facts import GroupFacts
from snp_membership.adapters.group_store import group_roles

__all__ = [
    "MAX_PAGE",
    "GroupFacts",
    "account_groups",
    "group_facts",
    "groups_led_alone",
    "members",
    "roles_in_group",
]

MAX_PAGE = 1000


def group_facts(conn: psycopg.Connection[Any], tenant: str, group_id: str) -> GroupFacts | None:
    return facts_table.group_facts(conn, tenant, group_id)


def roles_in_group(conn: psycopg.Connection[Any], group_id: str, account_id: str) -> list[str]:
    return group_roles(conn, account_id, [group_id]).get(group_id, [])


def members(
    conn: psycopg.Connection[Any], group_id: str, after: str, page_size: int
) -> tuple[list[tuple[str, list[str]]], str]:
    """(account id, roles) in account id order after `after`, and the next page's token."""
    rows = facts_table.members_with_offices(conn, group_id, after, page_size + 1)
    page = [(account_id, ["member", *offices]) for account_id, offices in rows[:page_size]]
    return page, page[-1][0] if len(rows) > page_size else ""


def account_groups(
    conn: psycopg.Connection[Any], tenant: str, account_id: str
) -> list[tuple[GroupFacts, list[str]]]:
    facts = facts_table.groups_of_member(conn, tenant, account_id)
    roles = group_roles(conn, account_id, [f.group_id for f in facts])
    return [(f, roles.get(f.group_id, ["member"])) for f in facts]


def groups_led_alone(
    conn: psycopg.Connection[Any], tenant: str, account_id: str
) -> list[tuple[str, str, str]]:
    """(group id, name, office) of each group the account is the last chair or coordinator of."""
    return facts_table.groups_led_alone(conn, tenant, account_id)
