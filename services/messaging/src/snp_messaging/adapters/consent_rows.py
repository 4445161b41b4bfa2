"""The force's information providers and the consent rows, as read (agencies come from
identity's events; choices and defaults from messaging's own, by the read model)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_messaging.adapters.recipients import force_name
from snp_messaging.domain.providers import Provider, providers_of

Conn = psycopg.Connection[Any]


def force_providers(conn: Conn, tenant: str) -> dict[str, Provider]:
    """The force's providers by id: the police, the association, its active agencies by name.
    A retired agency is no provider (its partners can no longer send)."""
    rows = conn.execute(
        "SELECT agency_id, name, kind FROM agencies WHERE tenant = %s AND NOT retired"
        " ORDER BY lower(name), agency_id",
        (tenant,),
    )
    agencies = [Provider(str(i), str(n), str(k)) for i, n, k in rows]
    return {p.id: p for p in providers_of(force_name(conn, tenant), agencies)}


def force_defaults(conn: Conn, tenant: str) -> dict[str, bool]:
    """What the force decided for members who never chose, by provider id."""
    rows = conn.execute(
        'SELECT provider_id, "on" FROM provider_defaults WHERE tenant = %s', (tenant,)
    )
    return {str(p): bool(on) for p, on in rows}


def member_choices(conn: Conn, tenant: str, account_id: str) -> dict[str, bool]:
    """The member's own choices, by provider id (a provider absent: they never chose)."""
    rows = conn.execute(
        'SELECT provider_id, "on" FROM provider_consent WHERE tenant = %s AND account_id = %s',
        (tenant, account_id),
    )
    return {str(p): bool(on) for p, on in rows}
