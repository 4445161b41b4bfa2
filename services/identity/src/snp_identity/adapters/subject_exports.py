"""SQL for subject access exports: the requests, the parts gathered so far, the sealed ZIP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class ExportRow:
    export_id: str
    tenant: str
    account_id: str
    services: list[str]
    status: str
    requested_at: datetime
    completed_at: datetime | None
    expires_at: datetime | None
    last_error: str
    done: int  # how many services gave their part


_COLUMNS = (
    "e.export_id, e.tenant, e.account_id, e.services, e.status, e.requested_at,"
    " e.completed_at, e.expires_at, e.last_error,"
    " (SELECT count(*) FROM subject_export_parts p WHERE p.export_id = e.export_id)::int"
    " + CASE WHEN e.status = 'assembling' THEN 0 ELSE cardinality(e.services) END AS done"
)


def save_request(
    conn: Conn, export_id: str, tenant: str, account_id: str, services: list[str]
) -> None:
    conn.execute(
        "INSERT INTO subject_exports (export_id, tenant, account_id, services, status,"
        " requested_at) VALUES (%s, %s, %s, %s, 'assembling', now())",
        (export_id, tenant, account_id, services),
    )


def find(conn: Conn, tenant: str, export_id: str) -> ExportRow | None:
    """The export of this tenant, or None (another tenant's is unknown here)."""
    with conn.cursor(row_factory=class_row(ExportRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM subject_exports e"  # noqa: S608 (fixed columns)
            " WHERE e.tenant = %s AND e.export_id = %s",
            (tenant, export_id),
        ).fetchone()


def assembling(conn: Conn, limit: int = 20) -> list[ExportRow]:
    with conn.cursor(row_factory=class_row(ExportRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM subject_exports e"  # noqa: S608 (fixed columns)
            " WHERE e.status = 'assembling' ORDER BY e.requested_at LIMIT %s",
            (limit,),
        ).fetchall()


def parts(conn: Conn, export_id: str) -> dict[str, bytes]:
    """The sealed parts gathered so far, by service."""
    rows = conn.execute(
        "SELECT service, sealed_part FROM subject_export_parts WHERE export_id = %s",
        (export_id,),
    ).fetchall()
    return {str(s): bytes(p) for s, p in rows}


def save_part(conn: Conn, export_id: str, service: str, sealed: bytes) -> None:
    # Two relays racing on one part store it once: the first one's is as good as the second's.
    conn.execute(
        "INSERT INTO subject_export_parts (export_id, service, sealed_part) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (export_id, service, sealed),
    )


def note_error(conn: Conn, export_id: str, error: str) -> None:
    conn.execute(
        "UPDATE subject_exports SET last_error = %s WHERE export_id = %s", (error, export_id)
    )


def lock_assembling(conn: Conn, export_id: str) -> bool:
    """Lock a still-assembling export for completing it (False: done by another, or gone)."""
    row = conn.execute(
        "SELECT 1 FROM subject_exports WHERE export_id = %s AND status = 'assembling'"
        " FOR UPDATE SKIP LOCKED",
        (export_id,),
    ).fetchone()
    return row is not None


def save_zip(conn: Conn, export_id: str, salt: bytes, sealed: bytes, expires_at: datetime) -> None:
    """The ZIP in place of the parts it was made of."""
    conn.execute(
        "UPDATE subject_exports SET status = 'ready', completed_at = now(), expires_at = %s,"
        " zip_salt = %s, sealed_zip = %s, last_error = '' WHERE export_id = %s",
        (expires_at, salt, sealed, export_id),
    )
    conn.execute("DELETE FROM subject_export_parts WHERE export_id = %s", (export_id,))


def sealed_zip(conn: Conn, export_id: str) -> tuple[bytes, bytes] | None:
    """`(salt, sealed ZIP)` of a ready export that has not expired."""
    row = conn.execute(
        "SELECT zip_salt, sealed_zip FROM subject_exports WHERE export_id = %s"
        " AND status = 'ready' AND expires_at > now()",
        (export_id,),
    ).fetchone()
    return None if row is None else (bytes(row[0]), bytes(row[1]))


def expire_due(conn: Conn) -> list[tuple[str, str, str]]:
    """Forget every ZIP past its expiry (the row stays, saying it expired): the `(tenant,
    export_id, account_id)` of each."""
    done = conn.execute(
        "UPDATE subject_exports SET status = 'expired', zip_salt = NULL, sealed_zip = NULL"
        " WHERE status = 'ready' AND expires_at <= now()"
        " RETURNING tenant, export_id, account_id"
    )
    return [(str(t), str(e), str(a)) for t, e, a in done.fetchall()]


def forget(conn: Conn, export_id: str) -> None:
    """An export whose account was erased meanwhile: nothing can be sealed for it any more."""
    conn.execute("UPDATE subject_exports SET status = 'expired' WHERE export_id = %s", (export_id,))
    conn.execute("DELETE FROM subject_export_parts WHERE export_id = %s", (export_id,))


def of_account(conn: Conn, tenant: str, account_id: str, limit: int = 20) -> list[ExportRow]:
    """The account's own exports, newest first."""
    with conn.cursor(row_factory=class_row(ExportRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM subject_exports e"  # noqa: S608 (fixed columns)
            " WHERE e.tenant = %s AND e.account_id = %s ORDER BY e.requested_at DESC LIMIT %s",
            (tenant, account_id, limit),
        ).fetchall()
