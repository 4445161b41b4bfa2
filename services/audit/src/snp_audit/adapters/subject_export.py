"""Audit's part of a subject access export: the log's entries where the account is the actor
(what it did, and each decision the policy took on its requests). Ids and metadata only, as
the log holds them; the entries' hashes stay with the auditors' export."""

from __future__ import annotations

from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


def subject_part(conn: Conn, tenant: str, account_id: str) -> dict[str, Any]:
    """`{entries: [{index, occurred_at, source, service, event_type, subject}]}`, in log order."""
    rows = conn.execute(
        "SELECT idx, occurred_at, source, service, event_type, subject FROM audit_entries"
        " WHERE tenant = %s AND actor = %s ORDER BY idx",
        (tenant, account_id),
    ).fetchall()
    keys = ("index", "occurred_at", "source", "service", "event_type", "subject")
    return {"entries": [dict(zip(keys, row, strict=True)) for row in rows]}
