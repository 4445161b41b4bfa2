"""The registered forces as an operator lists them: read from the tenants' own streams in the
event store (each a single TenantRegistered) and the accounts projection. Slugs, names, dates
and counts only: nothing about any person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as pb


@dataclass(frozen=True)
class RegisteredTenant:
    slug: str
    display_name: str
    registered_at: datetime
    administrators: int


def registered_tenants(conn: psycopg.Connection[Any]) -> list[RegisteredTenant]:
    """Every registered force, by slug, with how many active administrators it has."""
    rows = conn.execute(
        "SELECT e.tenant, e.payload, e.recorded_at,"
        " (SELECT count(*) FROM accounts a WHERE a.tenant = e.tenant"
        "  AND a.kind = 'tenant_admin' AND a.status = 'active')"
        " FROM events e WHERE e.event_type = 'identity.TenantRegistered'"
        " AND e.stream_id = 'tenant:' || e.tenant ORDER BY e.tenant"
    ).fetchall()
    return [
        RegisteredTenant(
            tenant, pb.TenantRegistered.FromString(payload).display_name, at, int(admins)
        )
        for tenant, payload, at, admins in rows
    ]
