"""SQL for the `agencies` table: the projection of the agency streams, written in the
transaction that appends their events (so it never disagrees with them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from snp_identity.adapters.records import Conn


@dataclass(frozen=True)
class AgencyRow:
    agency_id: str
    tenant: str
    name: str
    kind: str
    status: str  # "active" | "retired"
    registered_at: datetime
    version: int


def save_agency(conn: Conn, row: AgencyRow) -> None:
    """Insert or update; the unique index on active names refuses a duplicate (UniqueViolation)."""
    conn.execute(
        "INSERT INTO agencies (agency_id, tenant, name, kind, status, registered_at, version)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (agency_id) DO UPDATE SET"
        " name = EXCLUDED.name, status = EXCLUDED.status, version = EXCLUDED.version",
        (row.agency_id, row.tenant, row.name, row.kind, row.status, row.registered_at, row.version),
    )


def find_agency(conn: Conn, tenant: str, agency_id: str) -> AgencyRow | None:
    with conn.cursor(row_factory=class_row(AgencyRow)) as cur:
        return cur.execute(
            "SELECT agency_id, tenant, name, kind, status, registered_at, version FROM agencies"
            " WHERE tenant = %s AND agency_id = %s",
            (tenant, agency_id),
        ).fetchone()


def active_name_taken(conn: Conn, tenant: str, name: str, other_than: str = "") -> bool:
    row = conn.execute(
        "SELECT 1 FROM agencies WHERE tenant = %s AND lower(name) = lower(%s)"
        " AND status = 'active' AND agency_id <> %s",
        (tenant, name, other_than),
    ).fetchone()
    return row is not None


def agencies_of(conn: Conn, tenant: str) -> list[AgencyRow]:
    """The force's agencies, active ones first, each group by name."""
    with conn.cursor(row_factory=class_row(AgencyRow)) as cur:
        return cur.execute(
            "SELECT agency_id, tenant, name, kind, status, registered_at, version FROM agencies"
            " WHERE tenant = %s ORDER BY status, lower(name), agency_id",
            (tenant,),
        ).fetchall()


def partner_accounts_of(conn: Conn, tenant: str, agency_id: str) -> list[str]:
    """The ids of the agency's partner accounts (disabled ones too: their tokens may still live)."""
    rows = conn.execute(
        "SELECT account_id FROM accounts WHERE tenant = %s AND agency_id = %s AND kind = 'partner'",
        (tenant, agency_id),
    ).fetchall()
    return [str(account_id) for (account_id,) in rows]
