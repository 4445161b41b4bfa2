"""SQL for documents' own read models: the `documents` rows, and the mailing lists with their
members. Every function takes the caller's connection, so a use case reads and writes them in
the transaction it appends its events in.

The mailing-list tables follow the lists' events (`MailingListTables`, applied by documents'
streams in the append's transaction). A document's row is written by its upload instead: it
exists before its `DocumentStored` event (its segments reference it) and holds what no event
carries (the salt, the segment size and count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row

from snp.documents.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_documents.domain.events import EVENT_TYPES, parse_event

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class DocumentRow:
    document_id: str
    seq: int
    tenant: str
    group_id: str
    audience: str
    title: bytes
    file_name: bytes
    content_type: str
    size_bytes: int
    sha256: str
    salt: bytes
    segment_bytes: int
    segments: int
    stored_by: str
    stored_at: datetime


_COLUMNS = (
    "document_id, seq, tenant, group_id, audience, title, file_name, content_type, size_bytes,"
    " sha256, salt, segment_bytes, segments, stored_by, stored_at"
)
DOCUMENT_COLUMNS = _COLUMNS  # for the other readers of documents' rows (subject_export)


def find_document(conn: Conn, document_id: str) -> DocumentRow | None:
    """The document's row, unless it is deleted."""
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE document_id = %s"  # noqa: S608
            " AND deleted_at IS NULL",
            (document_id,),
        ).fetchone()


def documents_after(conn: Conn, group_id: str, after_seq: int, limit: int) -> list[DocumentRow]:
    """The group's documents after `after_seq` in list order, at most `limit` of them."""
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE group_id = %s"  # noqa: S608
            " AND deleted_at IS NULL AND seq > %s ORDER BY seq LIMIT %s",
            (group_id, after_seq, limit),
        ).fetchall()


def start_document(
    conn: Conn,
    document_id: str,
    tenant: str,
    group_id: str,
    salt: bytes,
    segment_bytes: int,
    stored_by: str,
) -> None:
    """The row of an upload in progress (its segments reference it); `complete_document` fills
    in the rest in the same transaction."""
    conn.execute(
        "INSERT INTO documents (document_id, tenant, group_id, audience, title, file_name,"
        " content_type, size_bytes, sha256, salt, segment_bytes, segments, stored_by)"
        " VALUES (%s, %s, %s, 'officers', '', '', '', 0, '', %s, %s, 0, %s)",
        (document_id, tenant, group_id, salt, segment_bytes, stored_by),
    )


def complete_document(conn: Conn, event: pb.DocumentStored, segments: int) -> None:
    """The row of a finished upload: what its `DocumentStored` event says, and its segments."""
    conn.execute(
        "UPDATE documents SET audience = %s, title = %s, file_name = %s,"
        " content_type = %s, size_bytes = %s, sha256 = %s, segments = %s"
        " WHERE document_id = %s",
        (
            event.audience,
            event.title.ciphertext,
            event.file_name.ciphertext,
            event.content_type,
            event.size_bytes,
            event.sha256,
            segments,
            event.document_id,
        ),
    )


def mark_document_deleted(conn: Conn, document_id: str) -> None:
    conn.execute("UPDATE documents SET deleted_at = now() WHERE document_id = %s", (document_id,))


def live_list_group(conn: Conn, tenant: str, mailing_list_id: str) -> str | None:
    """The group of a mailing list of the tenant that is not deleted (None for none)."""
    row = conn.execute(
        "SELECT group_id FROM mailing_lists WHERE mailing_list_id = %s AND tenant = %s"
        " AND deleted_at IS NULL",
        (mailing_list_id, tenant),
    ).fetchone()
    return None if row is None else str(row[0])


def live_lists(conn: Conn, group_id: str) -> list[tuple[str, bytes]]:
    """The group's lists that are not deleted, oldest first: (id, sealed name)."""
    rows = conn.execute(
        "SELECT mailing_list_id, name FROM mailing_lists WHERE group_id = %s"
        " AND deleted_at IS NULL ORDER BY created_at, mailing_list_id",
        (group_id,),
    ).fetchall()
    return [(list_id, bytes(name)) for list_id, name in rows]


def list_members(conn: Conn, mailing_list_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT account_id FROM mailing_list_members WHERE mailing_list_id = %s"
        " ORDER BY account_id",
        (mailing_list_id,),
    ).fetchall()
    return [account_id for (account_id,) in rows]


def lists_holding(conn: Conn, group_id: str, account_id: str) -> list[str]:
    """The group's lists (not deleted) that the account is on."""
    rows = conn.execute(
        "SELECT m.mailing_list_id FROM mailing_list_members m"
        " JOIN mailing_lists l USING (mailing_list_id)"
        " WHERE l.group_id = %s AND m.account_id = %s AND l.deleted_at IS NULL",
        (group_id, account_id),
    ).fetchall()
    return [list_id for (list_id,) in rows]


class MailingListTables:
    """`mailing_lists` and `mailing_list_members` from the lists' own events (a read model of
    documents' streams: applied in the transaction of each append; other events ignored)."""

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type not in EVENT_TYPES:
            return
        event = parse_event(envelope.event_type, envelope.payload)
        if isinstance(event, pb.MailingListCreated):
            conn.execute(
                "INSERT INTO mailing_lists (mailing_list_id, tenant, group_id, name)"
                " VALUES (%s, %s, %s, %s)",
                (event.mailing_list_id, envelope.tenant, event.group_id, event.name.ciphertext),
            )
            _save_members(conn, event.mailing_list_id, event.member_account_ids)
        elif isinstance(event, pb.MailingListMembersReplaced):
            _save_members(conn, event.mailing_list_id, event.member_account_ids)
        elif isinstance(event, pb.MailingListMemberRemoved):
            conn.execute(
                "DELETE FROM mailing_list_members WHERE mailing_list_id = %s AND account_id = %s",
                (event.mailing_list_id, event.account_id),
            )
        elif isinstance(event, pb.MailingListDeleted):
            conn.execute(
                "UPDATE mailing_lists SET deleted_at = now() WHERE mailing_list_id = %s",
                (event.mailing_list_id,),
            )
            conn.execute(
                "DELETE FROM mailing_list_members WHERE mailing_list_id = %s",
                (event.mailing_list_id,),
            )


def _save_members(conn: Conn, mailing_list_id: str, members: Sequence[str]) -> None:
    conn.execute("DELETE FROM mailing_list_members WHERE mailing_list_id = %s", (mailing_list_id,))
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO mailing_list_members (mailing_list_id, account_id) VALUES (%s, %s)",
            [(mailing_list_id, m) for m in members],
        )
