"""Searching a tenant's log by the indexed columns (filled from each entry when appended)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from snp_audit.domain import subjects

# The subject without its kind, exactly as the index audit_entries_subject_id computes it.
SUBJECT_ID = sql.SQL(
    "CASE WHEN strpos(subject, ':') > 0 THEN substr(subject, strpos(subject, ':') + 1)"
    " ELSE subject END"
)
# A decision's answer is only in the entry's bytes: a filter on it reads the entries the other
# filters leave (narrow it with source, actor or time on a large log).
DECISION_ALLOWED = sql.SQL("(convert_from(entry, 'UTF8')::jsonb #>> '{attrs,allow}')")


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    subject: str | None = None
    event_type: str | None = None
    service: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    allowed: bool | None = None  # decisions that were allowed (True) or refused (False)


def _subject_clauses(subject: str) -> tuple[list[sql.Composable], list[Any]]:
    """Both forms of one subject: `account:a1` matches a bare `a1` too, and a bare id matches
    it under any kind (entries logged before the one style keep the form they had)."""
    identifier, typed = subjects.forms(subject)
    clauses: list[sql.Composable] = [sql.SQL("{} = %s").format(SUBJECT_ID)]
    params: list[Any] = [identifier]
    if typed is not None:
        clauses.append(sql.SQL("subject IN (%s, %s)"))
        params += [typed, identifier]
    return clauses, params


def search(
    conn: psycopg.Connection[Any], tenant: str, filters: Filters, after: int, limit: int
) -> list[tuple[int, bytes]]:
    """(position, bytes) of up to `limit` matching entries after position `after`, in order."""
    clauses: list[sql.Composable] = [sql.SQL("tenant = %s"), sql.SQL("idx > %s")]
    params: list[Any] = [tenant, after]
    for column, value in (
        ("actor", filters.actor),
        ("event_type", filters.event_type),
        ("service", filters.service),
        ("source", filters.source),
    ):
        if value is not None:
            clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if filters.subject is not None:
        more, values = _subject_clauses(filters.subject)
        clauses += more
        params += values
    if filters.allowed is not None:
        clauses.append(sql.SQL("source = 'decision' AND {} = %s").format(DECISION_ALLOWED))
        params.append("true" if filters.allowed else "false")
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
