"""Reads of the group-roles projection (`groups`, `group_roles`, kept from membership's events)
that documents' policy input and its list rules need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class Group:
    group_id: str
    tenant: str
    group_type: str


def find_group(conn: Conn, group_id: str) -> Group | None:
    row = conn.execute(
        "SELECT group_id, tenant, group_type FROM groups WHERE group_id = %s", (group_id,)
    ).fetchone()
    return None if row is None else Group(*row)


def roles_of_account(conn: Conn, account_id: str, group_ids: Iterable[str]) -> dict[str, list[str]]:
    """The account's roles in each of these groups (groups where it holds none left out)."""
    rows = conn.execute(
        "SELECT group_id, array_agg(role ORDER BY role) FROM group_roles"
        " WHERE account_id = %s AND group_id = ANY(%s) GROUP BY group_id",
        (account_id, list(group_ids)),
    ).fetchall()
    return {group_id: list(roles) for group_id, roles in rows}


def roles_in_group(
    conn: Conn, group_id: str, account_ids: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Each of these accounts' roles in the group (accounts holding none left out)."""
    rows = conn.execute(
        "SELECT account_id, array_agg(role ORDER BY role) FROM group_roles"
        " WHERE group_id = %s AND account_id = ANY(%s) GROUP BY account_id",
        (group_id, list(account_ids)),
    ).fetchall()
    return {account_id: tuple(roles) for account_id, roles in rows}


def current_members(conn: Conn, group_id: str) -> set[str]:
    rows = conn.execute(
        "SELECT DISTINCT account_id FROM group_roles WHERE group_id = %s AND role = 'member'",
        (group_id,),
    ).fetchall()
    return {account_id for (account_id,) in rows}
