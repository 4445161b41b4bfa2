"""The rows of documents' part of a subject access export: the documents an account stored
(not deleted) and the mailing lists it is on. Titles and names stay sealed here."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import class_row

from snp_documents.adapters.read_models import DOCUMENT_COLUMNS, DocumentRow

Conn = psycopg.Connection[Any]


def documents_stored_by(conn: Conn, tenant: str, account_id: str) -> list[DocumentRow]:
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(
            f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE tenant = %s AND stored_by = %s"  # noqa: S608
            " AND deleted_at IS NULL ORDER BY seq",
            (tenant, account_id),
        ).fetchall()


def lists_holding_account(conn: Conn, tenant: str, account_id: str) -> list[tuple[str, str, bytes]]:
    """`(mailing_list_id, group_id, sealed name)` of each live list the account is on."""
    rows = conn.execute(
        "SELECT l.mailing_list_id, l.group_id, l.name FROM mailing_list_members m"
        " JOIN mailing_lists l ON l.mailing_list_id = m.mailing_list_id"
        " WHERE l.tenant = %s AND m.account_id = %s AND l.deleted_at IS NULL"
        " ORDER BY l.created_at, l.mailing_list_id",
        (tenant, account_id),
    ).fetchall()
    return [(str(i), str(g), bytes(n)) for i, g, n in rows]
