"""Searching a tenant's log by the indexed columns (filled from each entry when appended)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    subject: str | None = None
    event_type: str | None = None
    service: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(
    conn: psycopg.Connection[Any], tenant: str, filters: Filters, after: int, limit: int
) -> list[tuple[int, bytes]]:
    """(position, bytes) of up to `limit` matching entries after position `after`, in order."""
    clauses: list[sql.Composable] = [sql.SQL("tenant = %s"), sql.SQL("idx > %s")]
    params: list[Any] = [tenant, after]
    for column, value in (
        ("actor", filters.actor),
        ("subject", filters.subject),
        ("event_type", filters.event_type),
        ("service", filters.service),
        ("source", filters.source),
    ):
        if value is not None:
            clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if filters.since is not None:
        clauses.append(sql.SQL("occurred_at >= %s"))
        params.append(filters.since)
    if filters.until is not None:
        clauses.append(sql.SQL("occurred_at < %s"))
        params.append(filters.until)
    query = sql.SQL("SELECT idx, entry FROM audit_entries WHERE {} ORDER BY idx LIMIT %s").format(
        sql.SQL(" AND ").join(clauses)
    )
    rows = conn.execute(query, [*params, limit]).fetchall()
    return [(int(idx), bytes(data)) for idx, data in rows]
