"""Reads for areas and the association's export: an area coordinator's wards (the `areas`
table GroupProjection folds from AreaSet), and the watch groups of those wards with their
officers and markings (the group tables)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from snp_membership.adapters.group_store import GROUP_COLUMNS, group_from_row
from snp_membership.domain.model import Group

Conn = psycopg.Connection[Any]


def area_of(conn: Conn, tenant: str, account_id: str) -> list[str] | None:
    """The ward codes the tenant's area coordinator covers, or None when never set."""
    row = conn.execute(
        "SELECT ward_codes FROM areas WHERE tenant = %s AND account_id = %s", (tenant, account_id)
    ).fetchone()
    return list(row[0]) if row else None


def watch_groups_in_wards(conn: Conn, tenant: str, ward_codes: Sequence[str]) -> list[Group]:
    """The tenant's Neighbourhood Watch groups in these wards (never ward panels or community
    groups), by ward then name, each with its officers and both kinds of marking."""
    rows = conn.execute(
        f"SELECT {GROUP_COLUMNS} FROM groups WHERE tenant = %s "  # noqa: S608
        "AND group_type = 'neighbourhood_watch' AND ward_code = ANY(%s) "
        "ORDER BY ward_code, lower(name), group_id",
        (tenant, list(ward_codes)),
    ).fetchall()
    ids = [r[0] for r in rows]
    officers: dict[str, dict[str, set[str]]] = {}
    for group_id, account_id, role in conn.execute(
        "SELECT group_id, account_id, role FROM group_officers WHERE group_id = ANY(%s)", (ids,)
    ):
        officers.setdefault(group_id, {}).setdefault(account_id, set()).add(role)
    group_marks: dict[str, set[str]] = {}
    coordinator_marks: dict[str, dict[str, set[str]]] = {}
    for group_id, subject, account_id, side in conn.execute(
        "SELECT group_id, subject, account_id, side FROM approvals "
        "WHERE group_id = ANY(%s) AND subject IN ('group', 'coordinator')",
        (ids,),
    ):
        if subject == "group":
            group_marks.setdefault(group_id, set()).add(side)
        else:
            coordinator_marks.setdefault(group_id, {}).setdefault(account_id, set()).add(side)
    return [
        group_from_row(
            r,
            officers={a: frozenset(o) for a, o in officers.get(r[0], {}).items()},
            approvals=frozenset(group_marks.get(r[0], set())),
            coordinator_marks={a: frozenset(s) for a, s in coordinator_marks.get(r[0], {}).items()},
        )
        for r in rows
    ]
