"""Reading the projections that decide who an audience reaches (messaging's own tables)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

from snp_messaging.adapters.preferences import PREFERENCE_COLUMNS, preferences_of
from snp_messaging.adapters.replies import forget_replies_of
from snp_messaging.domain.reach import Candidate

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class Group:
    group_id: str
    tenant: str
    name: str
    group_type: str
    ward_code: str


def find_group(conn: Conn, group_id: str) -> Group | None:
    row = conn.execute(
        "SELECT group_id, tenant, name, group_type, ward_code FROM groups WHERE group_id = %s",
        (group_id,),
    ).fetchone()
    return Group(*row) if row else None


def group_roles(conn: Conn, tenant: str, account_id: str) -> dict[str, list[str]]:
    """The account's roles in each group of its tenant, as the policy input wants them."""
    roles: dict[str, list[str]] = {}
    for group_id, role in conn.execute(
        "SELECT group_id, role FROM group_roles WHERE tenant = %s AND account_id = %s "
        "ORDER BY group_id, role",
        (tenant, account_id),
    ):
        roles.setdefault(group_id, []).append(role)
    return roles


def known_wards(conn: Conn, tenant: str) -> set[str]:
    """Wards the force's groups and ward panels are in: the areas members can opt into."""
    rows = conn.execute("SELECT DISTINCT ward_code FROM groups WHERE tenant = %s", (tenant,))
    return {r[0] for r in rows}


def ward_names(conn: Conn, tenant: str) -> list[tuple[str, str]]:
    """(ward code, ward name) of each of the force's wards, by name: what preferences offer."""
    rows = conn.execute(
        "SELECT ward_code, min(ward_name) FROM groups WHERE tenant = %s"
        " GROUP BY ward_code ORDER BY min(ward_name), ward_code",
        (tenant,),
    )
    return [(str(r[0]), str(r[1])) for r in rows]


def force_name(conn: Conn, tenant: str) -> str:
    row = conn.execute("SELECT display_name FROM forces WHERE tenant = %s", (tenant,)).fetchone()
    return str(row[0]) if row else tenant


# Who is in an audience, as SQL over the projections: account_id rows. A group or ward panel
# has every holder of a role there; a ward, residents who opted in for it; the force, residents
# who opted in for any of its areas (never a staff account: these alerts are for residents).
# (Which of them a message is sent to, on which channels, is the
# domain's decision: snp_messaging.domain.reach.)
AUDIENCE_SQL = {
    "group": "SELECT DISTINCT account_id FROM group_roles WHERE tenant = %(tenant)s "
    "AND group_id = %(id)s",
    "ward": "SELECT account_id FROM preferences WHERE tenant = %(tenant)s "
    "AND areas @> ARRAY[%(id)s]::text[] AND account_id NOT IN (SELECT account_id "
    "FROM staff_accounts WHERE tenant = %(tenant)s)",
    "tenant": "SELECT account_id FROM preferences WHERE tenant = %(tenant)s "
    "AND cardinality(areas) > 0 AND account_id NOT IN (SELECT account_id "
    "FROM staff_accounts WHERE tenant = %(tenant)s)",
    "mailing_list": "SELECT account_id FROM mailing_list_members WHERE tenant = %(tenant)s "
    "AND list_id = %(id)s",
}
_LISTED = "SELECT DISTINCT unnest(%(ids)s::text[]) AS account_id"


def candidates(
    conn: Conn,
    tenant: str,
    audience_type: str,
    audience_id: str,
    listed: list[str] | None = None,
    provider_id: str = "",
) -> Iterator[Candidate]:
    """The audience's members with their preferences (None for a member who set none) and
    their choice for the alert's provider `provider_id` (None: never chose). With `listed` (a
    forwarded document's recipients), those accounts instead of the audience's.
    The query runs now; its rows become candidates as they are iterated (a large audience is
    never held twice)."""
    audience_sql = _LISTED if listed is not None else AUDIENCE_SQL[audience_type]
    columns = ", ".join(f"p.{c}" for c in PREFERENCE_COLUMNS)
    rows = conn.execute(
        f'SELECT a.account_id, c."on", {columns} '  # noqa: S608
        f"FROM ({audience_sql}) a LEFT JOIN preferences p ON p.account_id = a.account_id"
        " LEFT JOIN provider_consent c ON c.account_id = a.account_id"
        " AND c.provider_id = %(provider)s",
        {"tenant": tenant, "id": audience_id, "ids": listed or [], "provider": provider_id},
    )
    return (
        Candidate(
            row[0],
            None if row[2] is None else preferences_of(row[2:]),
            row[1],
        )
        for row in rows
    )


def forget_erased_account(conn: Conn, account_id: str) -> None:
    """No preferences, consent choices, contact problems, rating comments or reply texts left,
    and nothing
    still waiting is sent (the events stay: the history is verifiable)."""
    conn.execute("DELETE FROM preferences WHERE account_id = %s", (account_id,))
    conn.execute("DELETE FROM contact_problems WHERE account_id = %s", (account_id,))
    conn.execute("DELETE FROM provider_consent WHERE account_id = %s", (account_id,))
    # Their ratings still count, but what they wrote in a comment goes with the account.
    conn.execute("UPDATE message_ratings SET comment = '' WHERE account_id = %s", (account_id,))
    forget_replies_of(conn, account_id)
    conn.execute(
        "DELETE FROM digest_items WHERE account_id = %s AND digest_id IS NULL", (account_id,)
    )
    conn.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'account erased',"
        " updated_at = now() WHERE account_id = %s AND status IN ('pending', 'queued', 'held')",
        (account_id,),
    )
