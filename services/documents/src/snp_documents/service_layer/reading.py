"""Listing, describing, downloading and deleting documents, each as OPA decides.

Contents are opened one segment at a time: a download holds one segment of plaintext, and a
segment that does not authenticate is never released (the first is checked before the response
starts, so a wrong key is a clean error; a later one ends the response early, short of its
Content-Length, so the client cannot take it for the whole document).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

from snp_documents.adapters import read_models, segments
from snp_documents.adapters.event_streams import document_stream
from snp_documents.adapters.read_models import DocumentRow
from snp_documents.adapters.sealing import ContentCipher, DecryptionFailed, open_text, text_aad
from snp_documents.domain import documents as domain
from snp_documents.service_layer.access import (
    allowed,
    find_group,
    members_view,
    require,
    resource_of,
)
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_documents.service_layer.uploads import content_aad
from snp_platform.eventstore import EventMetadata
from snp_platform.logging import get_logger
from snp_platform.tokens import Principal

READ, DELETE = "documents.document.read", "documents.document.delete"
MAX_PAGE = 500
_log = get_logger(__name__)


def find_document(conn: psycopg.Connection[Any], document_id: str) -> DocumentRow:
    row = read_models.find_document(conn, document_id)
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
            rows = read_models.documents_after(conn, group_id, cursor, limit)
            more = len(rows) == limit
            permitted = allowed(ctx, conn, principal, READ, [resource_of(r) for r in rows])
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
        require(ctx, conn, principal, READ, resource_of(row))
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
        require(ctx, conn, principal, READ, resource_of(row))
        key = ctx.keys.key(conn, row.group_id)
        described = describe(row, key)
        cipher = ContentCipher(
            key, bytes(row.salt), content_aad(row.tenant, row.group_id, row.document_id)
        )
        first = segments.first_segment(conn, document_id)
        if first is None:
            raise DecryptionFailed("segment 0 is missing")
        opened = cipher.open(0, first, last=row.segments == 1)
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
    with (
        ctx.pool.connection() as conn,
        conn.transaction(),
        segments.later_segments(conn, row.document_id) as stored,
    ):
        for index, ciphertext in stored:
            if index != expected:
                raise _integrity(row, f"segment {expected} is missing")
            try:
                yield cipher.open(index, ciphertext, last=index == row.segments - 1)
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
        require(ctx, conn, principal, DELETE, resource_of(row))
    stream = document_stream(row.tenant, document_id)
    events, version = ctx.streams.load(stream)
    decided = domain.delete(domain.fold(events), principal.account_id)
    with ctx.pool.connection() as conn, conn.transaction():
        ctx.streams.append(stream, decided, version, metadata, conn)
        read_models.mark_document_deleted(conn, document_id)
        segments.delete_segments(conn, document_id)
