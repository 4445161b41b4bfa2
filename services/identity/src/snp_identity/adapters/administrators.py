"""How many administrators a force has, counted under a per-force lock so that two
administrators removing each other at the same moment cannot both succeed."""

from __future__ import annotations

import zlib

from snp_identity.adapters.records import Conn

_LOCK_SPACE = 0x41444D  # "ADM": the first key of the two-key advisory lock


def lock_administrators(conn: Conn, tenant: str) -> None:
    """Until the caller's transaction ends, other changes to the force's administrators wait;
    a count taken after this sees every one committed before."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_SPACE, _tenant_key(tenant)))


def other_active_administrators(conn: Conn, tenant: str, account_id: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM accounts WHERE tenant = %s AND kind = 'tenant_admin'"
        " AND status = 'active' AND 'tenant_admin' = ANY(roles) AND account_id <> %s",
        (tenant, account_id),
    ).fetchone()
    return int(row[0]) if row else 0


def _tenant_key(tenant: str) -> int:
    # A signed 32-bit key from the slug (a collision only makes two forces wait for each other).
    return zlib.crc32(tenant.encode()) - 2**31
