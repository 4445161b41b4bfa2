"""The forces and accounts membership knows from identity's events, read from the tables
KnownAccountsProjection keeps (adapters/projections.py)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_membership.domain.model import KnownAccount

Conn = psycopg.Connection[Any]


def tenant_known(conn: Conn, tenant: str) -> bool:
    row = conn.execute("SELECT 1 FROM known_tenants WHERE tenant = %s", (tenant,)).fetchone()
    return row is not None


def force_name(conn: Conn, tenant: str) -> str | None:
    """The force's display name as identity registered it (e.g. "Metropolitan Police")."""
    row = conn.execute("SELECT display_name FROM known_tenants WHERE tenant = %s", (tenant,))
    found = row.fetchone()
    return str(found[0]) if found else None


def known_account(conn: Conn, tenant: str, account_id: str) -> KnownAccount | None:
    """The account if identity told membership about it in this tenant (erased ones included)."""
    row = conn.execute(
        "SELECT kind, erased FROM known_accounts WHERE account_id = %s AND tenant = %s",
        (account_id, tenant),
    ).fetchone()
    return KnownAccount(account_id, tenant, kind=row[0], erased=row[1]) if row else None
