"""Listing, describing, downloading and deleting documents, each as OPA decides.

Contents are opened one segment at a time: a download holds one segment of plaintext, and a
segment that does not authenticate is never released (the first is checked before the response
starts, so a wrong key is a clean error; a later one ends the response early, short of its
Content-Length, so the client cannot take it for the whole document).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row

from snp_documents.adapters.event_streams import document_stream
from snp_documents.adapters.sealing import ContentCipher, DecryptionFailed, open_text, text_aad
from snp_documents.domain import documents as domain
from snp_documents.service_layer.access import (
    allowed,
    document_resource,
    find_group,
    members_view,
    require,
)
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_documents.service_layer.uploads import content_aad
from snp_platform.eventstore import EventMetadata
from snp_platform.logging import get_logger
from snp_platform.tokens import Principal

READ, DELETE = "documents.document.read", "documents.document.delete"
MAX_PAGE = 500
_log = get_logger(__name__)


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

    @property
    def resource(self) -> dict[str, Any]:
        return document_resource(self.document_id, self.tenant, self.group_id, self.audience)


_COLUMNS = (
    "document_id, seq, tenant, group_id, audience, title, file_name, content_type, size_bytes,"
    " sha256, salt, segment_bytes, segments, stored_by, stored_at"
)


def find_document(conn: psycopg.Connection[Any], document_id: str) -> DocumentRow:
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        row = cur.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE document_id = %s"  # noqa: S608
            " AND deleted_at IS NULL",
            (document_id,),
        ).fetchone()
    if row is None:
        raise NotFound("no such document")
    return row


def describe(row: DocumentRow, group_key: bytes) -> dict[str, Any]:
    aad = text_aad(row.tenant, row.group_id, row.document_id, "title")
    name_aad = text_aad(row.tenant, row.group_id, row.document_id, "name")
    return {
        "id": row.document_id,
        "group_id": row.group_id,
        "title": open_text(group_key, bytes(row.title), aad),
        "file_name": open_text(group_key, bytes(row.file_name), name_aad),
        "audience": row.audience,
        "content_type": row.content_type,
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
        "stored_by": row.stored_by,
        "stored_at": row.stored_at.isoformat(),
    }


def list_documents(
    ctx: DocumentsContext, principal: Principal, group_id: str, limit: int, after: int
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the group's documents the principal may read, and the cursor of the next."""
    limit = max(1, min(limit, MAX_PAGE))
    with ctx.pool.connection() as conn:
        group = find_group(conn, group_id)
        require(ctx, conn, principal, READ, members_view(group))
        page: list[DocumentRow] = []
        cursor, more = after, True
        while more and len(page) < limit:
            with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
                rows = cur.execute(
                    f"SELECT {_COLUMNS} FROM documents WHERE group_id = %s"  # noqa: S608
                    " AND deleted_at IS NULL AND seq > %s ORDER BY seq LIMIT %s",
                    (group_id, cursor, limit),
                ).fetchall()
            more = len(rows) == limit
            permitted = allowed(ctx, conn, principal, READ, [r.resource for r in rows])
            for taken, row in enumerate(rows, start=1):
                cursor = row.seq
                if row.document_id in permitted:
                    page.append(row)
                    if len(page) == limit:
                        more = more or taken < len(rows)
                        break
        key = ctx.keys.key(conn, group_id) if page else b""
        return [describe(row, key) for row in page], cursor if more else None


def metadata(ctx: DocumentsContext, principal: Principal, document_id: str) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        row = find_document(conn, document_id)
        require(ctx, conn, principal, READ, row.resource)
        return describe(row, ctx.keys.key(conn, row.group_id))


@dataclass
class Download:
    """A permitted download: headers' facts, and the plaintext as an iterator of segments."""

    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    chunks: Iterator[bytes]


def download(ctx: DocumentsContext, principal: Principal, document_id: str) -> Download:
    with ctx.pool.connection() as conn:
        row = find_document(conn, document_id)
        require(ctx, conn, principal, READ, row.resource)
        key = ctx.keys.key(conn, row.group_id)
        described = describe(row, key)
        cipher = ContentCipher(
            key, bytes(row.salt), content_aad(row.tenant, row.group_id, row.document_id)
        )
        first = conn.execute(
            "SELECT ciphertext FROM document_segments WHERE document_id = %s AND index = 0",
            (document_id,),
        ).fetchone()
        if first is None:
            raise DecryptionFailed("segment 0 is missing")
        opened = cipher.open(0, bytes(first[0]), last=row.segments == 1)
    return Download(
        described["file_name"],
        row.content_type,
        row.size_bytes,
        row.sha256,
        _stream(ctx, row, cipher, opened),
    )


def _stream(
    ctx: DocumentsContext, row: DocumentRow, cipher: ContentCipher, first: bytes
) -> Iterator[bytes]:
    yield first
    if row.segments == 1:
        return
    expected = 1
    # A server-side cursor: segments come from PostgreSQL a few at a time.
    cursor_name = f"segments_{row.document_id.replace('-', '')}"
    with ctx.pool.connection() as conn, conn.transaction(), conn.cursor(name=cursor_name) as cur:
        cur.itersize = 4
        cur.execute(
            "SELECT index, ciphertext FROM document_segments WHERE document_id = %s"
            " AND index > 0 ORDER BY index",
            (row.document_id,),
        )
        for index, ciphertext in cur:
            if index != expected:
                raise _integrity(row, f"segment {expected} is missing")
            try:
                yield cipher.open(index, bytes(ciphertext), last=index == row.segments - 1)
            except DecryptionFailed as failure:
                raise _integrity(row, str(failure)) from None
            expected += 1
    if expected != row.segments:
        raise _integrity(row, "the document is truncated")


def _integrity(row: DocumentRow, why: str) -> DecryptionFailed:
    _log.error("document_integrity_failure", document_id=row.document_id, reason=why)
    return DecryptionFailed(why)


def delete(
    ctx: DocumentsContext, principal: Principal, document_id: str, metadata: EventMetadata
) -> None:
    """Delete a document: its event, and its ciphertext gone from the database."""
    with ctx.pool.connection() as conn:
        row = find_document(conn, document_id)
        require(ctx, conn, principal, DELETE, row.resource)
    stream = document_stream(row.tenant, document_id)
    events, version = ctx.streams.load(stream)
    decided = domain.delete(domain.fold(events), principal.account_id)
    with ctx.pool.connection() as conn, conn.transaction():
        ctx.streams.append(stream, decided, version, metadata, conn)
        conn.execute(
            "UPDATE documents SET deleted_at = now() WHERE document_id = %s", (document_id,)
        )
        conn.execute("DELETE FROM document_segments WHERE document_id = %s", (document_id,))
