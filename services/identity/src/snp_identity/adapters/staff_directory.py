"""The force's staff accounts as its administrators list them: the accounts projection (kind,
status, authenticator, roles) and, from the account's own stream, when it last signed in.
Member accounts are never read here: identity's staff list holds no residents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from snp_identity.adapters.records import Conn


@dataclass(frozen=True)
class StaffRow:
    account_id: str
    kind: str
    status: str
    totp: str
    roles: list[str]
    last_sign_in: datetime | None
    agency_id: str | None  # a partner's agency


def staff_of(conn: Conn, tenant: str) -> list[StaffRow]:
    """Every staff account of the force that is not erased (an erased one has nothing left to
    manage, not even a name). The sign-in look-up reads one stream through its unique index."""
    with conn.cursor(row_factory=class_row(StaffRow)) as cur:
        return cur.execute(
            "SELECT a.account_id, a.kind, a.status, a.totp, a.roles,"
            " (SELECT max(e.recorded_at) FROM events e"
            "  WHERE e.stream_id = 'account:' || a.account_id"
            "  AND e.event_type = 'identity.SignInSucceeded') AS last_sign_in, a.agency_id"
            " FROM accounts a WHERE a.tenant = %s AND a.kind <> 'member'"
            " AND a.status <> 'erased' ORDER BY a.account_id",
            (tenant,),
        ).fetchall()
