"""Reads of the group-roles projection (`groups`, `group_roles`, kept from membership's events)
that engagement's policy input needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg

from snp_engagement.domain.panel_names import Panel

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class Group:
    group_id: str
    tenant: str
    group_type: str
    ward_code: str


def find_group(conn: Conn, group_id: str) -> Group | None:
    row = conn.execute(
        "SELECT group_id, tenant, group_type, ward_code FROM groups"
        " WHERE group_id = %s AND NOT closed",
        (group_id,),
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


def ward_has_panel(conn: Conn, tenant: str, ward_code: str) -> bool:
    """Whether the force has a ward panel in this ward (hidden ones too: a ward is a place)."""
    row = conn.execute(
        "SELECT 1 FROM groups WHERE tenant = %s AND ward_code = %s AND group_type = 'ward_panel'"
        " LIMIT 1",
        (tenant, ward_code),
    ).fetchone()
    return row is not None


def panel_naming(conn: Conn, group_id: str) -> Panel | None:
    """The group's name, ward and whether it is hidden: what naming it in public needs."""
    row = conn.execute(
        "SELECT name, ward_code, ward_name, visibility <> 'public' FROM groups WHERE group_id = %s",
        (group_id,),
    ).fetchone()
    return None if row is None else Panel(*row)
