"""Loading a group's state for a decision from the group tables: the group with its officers
and markings, one account's standing in it, the caller's roles for the policy. Recording the
decided events is membership's TypedStreams (adapters/event_streams.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from snp_membership.domain.model import Group, Standing

Conn = psycopg.Connection[Any]

GROUP_COLUMNS = (
    "group_id, tenant, group_type, ward_code, ward_name, name, description, visibility, "
    "directory, status, version, needs_officer"
)


def load_group(conn: Conn, group_id: str) -> Group | None:
    """The group with its officers and markings, whatever its tenant (the policy decides)."""
    row = conn.execute(
        f"SELECT {GROUP_COLUMNS} FROM groups WHERE group_id = %s",  # noqa: S608
        (group_id,),
    ).fetchone()
    if row is None:
        return None
    officers: dict[str, set[str]] = {}
    for account_id, role in conn.execute(
        "SELECT account_id, role FROM group_officers WHERE group_id = %s", (group_id,)
    ):
        officers.setdefault(account_id, set()).add(role)
    group_marks: set[str] = set()
    coordinator_marks: dict[str, set[str]] = {}
    for subject, account_id, side in conn.execute(
        "SELECT subject, account_id, side FROM approvals WHERE group_id = %s "
        "AND subject IN ('group', 'coordinator')",
        (group_id,),
    ):
        if subject == "group":
            group_marks.add(side)
        else:
            coordinator_marks.setdefault(account_id, set()).add(side)
    return group_from_row(
        row,
        officers={a: frozenset(r) for a, r in officers.items()},
        approvals=frozenset(group_marks),
        coordinator_marks={a: frozenset(s) for a, s in coordinator_marks.items()},
    )


def group_from_row(row: Any, **held: Any) -> Group:
    """A Group from a row of GROUP_COLUMNS; `held`: officers and markings when loaded."""
    return Group(
        group_id=row[0],
        tenant=row[1],
        group_type=row[2],
        ward_code=row[3],
        ward_name=row[4],
        name=row[5],
        description=row[6],
        visibility=row[7],
        directory=row[8],
        status=row[9],
        version=row[10],
        needs_officer=row[11],
        **held,
    )


def request_account(conn: Conn, group_id: str, request_id: str) -> str | None:
    """Who made this join request to this group (whatever its status), or None."""
    row = conn.execute(
        "SELECT account_id FROM join_requests WHERE request_id = %s AND group_id = %s",
        (request_id, group_id),
    ).fetchone()
    return row[0] if row else None


def load_standing(conn: Conn, group_id: str, account_id: str) -> Standing:
    member = conn.execute(
        "SELECT 1 FROM group_members WHERE group_id = %s AND account_id = %s",
        (group_id, account_id),
    ).fetchone()
    pending = conn.execute(
        "SELECT request_id FROM join_requests WHERE group_id = %s AND account_id = %s "
        "AND status = 'pending'",
        (group_id, account_id),
    ).fetchone()
    marks = conn.execute(
        "SELECT subject, side FROM approvals WHERE group_id = %s AND account_id = %s",
        (group_id, account_id),
    ).fetchall()
    return Standing(
        account_id=account_id,
        is_member=member is not None,
        pending_request=pending[0] if pending else None,
        approvals=frozenset((s, d) for s, d in marks),
    )


def group_roles(conn: Conn, account_id: str, group_ids: Sequence[str]) -> dict[str, list[str]]:
    """The policy's `subject.group_roles` for these groups: "member" plus any offices."""
    roles: dict[str, list[str]] = {}
    for group_id in conn.execute(
        "SELECT group_id FROM group_members WHERE account_id = %s AND group_id = ANY(%s)",
        (account_id, list(group_ids)),
    ):
        roles.setdefault(group_id[0], []).append("member")
    for group_id, role in conn.execute(
        "SELECT group_id, role FROM group_officers WHERE account_id = %s AND group_id = ANY(%s) "
        "ORDER BY role",
        (account_id, list(group_ids)),
    ):
        roles.setdefault(group_id, []).append(role)
    return roles


def groups_of_account(conn: Conn, account_id: str) -> list[str]:
    """The groups the account is a member of or has a pending request to, in id order."""
    rows = conn.execute(
        "SELECT group_id FROM group_members WHERE account_id = %s UNION "
        "SELECT group_id FROM join_requests WHERE account_id = %s AND status = 'pending' "
        "ORDER BY 1",
        (account_id, account_id),
    ).fetchall()
    return [row[0] for row in rows]
