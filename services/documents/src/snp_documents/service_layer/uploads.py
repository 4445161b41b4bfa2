"""Storing a document as it streams in: sealed segment by segment inside one transaction.

The document's row, its sealed segments and its `DocumentStored` event commit together at the
end, or nothing does: a refused, truncated or failed upload leaves no trace. At most two
segments of plaintext are held at a time, whatever the size of the file.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.documents.v1 import events_pb2 as pb
from snp_documents.adapters import read_models, segments
from snp_documents.adapters.event_streams import document_stream
from snp_documents.adapters.multipart import UploadRefused
from snp_documents.adapters.roles import Group
from snp_documents.adapters.sealing import (
    ContentCipher,
    SegmentWriter,
    new_salt,
    seal_text,
    text_aad,
)
from snp_documents.domain.documents import InvalidDocument, checked_audience, checked_title
from snp_documents.service_layer.access import find_group, group_resource, require
from snp_documents.service_layer.context import DocumentsContext
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal
from snp_platform.uploads import FileFacts, safe_file_name, sniff

CREATE = "documents.document.create"


def content_aad(tenant: str, group_id: str, document_id: str) -> bytes:
    return f"snp-documents/{tenant}/{group_id}/{document_id}/content".encode()


def authorize_upload(ctx: DocumentsContext, principal: Principal, group_id: str) -> Group:
    """The group, if OPA lets the principal store documents in it (before any byte is read)."""
    with ctx.pool.connection() as conn:
        group = find_group(conn, group_id)
        require(ctx, conn, principal, CREATE, group_resource(group))
        return group


class UploadSession:
    """One upload in progress; `write` segments as bytes arrive, then `finish` or `abort`."""

    def __init__(
        self, ctx: DocumentsContext, principal: Principal, group: Group, metadata: EventMetadata
    ) -> None:
        self._ctx, self._principal, self._group, self._metadata = ctx, principal, group, metadata
        self._group_key = ctx.keys.ensure(group.tenant, group.group_id, metadata)
        self.document_id = new_event_id()
        self._salt = new_salt()
        aad = content_aad(group.tenant, group.group_id, self.document_id)
        self._writer = SegmentWriter(
            ContentCipher(self._group_key, self._salt, aad), ctx.segment_bytes
        )
        self._facts = FileFacts()
        self._declared_name = ""
        self._content_type: str | None = None
        self._returned = False
        self._conn: psycopg.Connection[Any] = ctx.pool.getconn()
        try:
            # A row first (the segments reference it); everything is one transaction.
            read_models.start_document(
                self._conn,
                self.document_id,
                group.tenant,
                group.group_id,
                self._salt,
                ctx.segment_bytes,
                principal.account_id,
            )
        except BaseException:
            self.abort()
            raise

    def name_hint(self, declared_name: str | None) -> None:
        """The client's file name, used only to tell zip-based office formats apart."""
        self._declared_name = declared_name or ""

    def write(self, pieces: list[bytes]) -> None:
        sealed: list[tuple[int, bytes]] = []
        for piece in pieces:
            if self._facts.add(piece):  # enough of the file to tell what it is
                self._settle_type(complete=False)
            sealed += self._writer.write(piece)
        self._store(sealed)

    def finish(self, fields: dict[str, str], declared_name: str | None) -> dict[str, Any]:
        """Check the fields and the bytes, record the document and commit."""
        try:
            title = checked_title(fields.get("title", ""))
            audience = checked_audience(fields.get("audience", ""))
        except InvalidDocument as problem:
            raise UploadRefused(422, str(problem)) from None
        if self._facts.size == 0:
            raise UploadRefused(422, "The document is empty.")
        if self._content_type is None:
            self._settle_type(complete=True)
        content_type = self._content_type or ""
        self._store(self._writer.finish())
        name = safe_file_name(declared_name, content_type)
        key, tenant, group_id = self._group_key, self._group.tenant, self._group.group_id
        sealed_title = seal_text(key, title, text_aad(tenant, group_id, self.document_id, "title"))
        sealed_name = seal_text(key, name, text_aad(tenant, group_id, self.document_id, "name"))
        digest = self._facts.sha256
        event = pb.DocumentStored(
            document_id=self.document_id,
            group_id=group_id,
            audience=audience,
            title=pb.SealedText(ciphertext=sealed_title),
            file_name=pb.SealedText(ciphertext=sealed_name),
            content_type=content_type,
            size_bytes=self._facts.size,
            sha256=digest,
            stored_by=self._principal.account_id,
        )
        try:
            read_models.complete_document(self._conn, event, self._writer.segments)
            self._ctx.streams.append(
                document_stream(tenant, self.document_id),
                [event],
                NO_STREAM,
                self._metadata,
                self._conn,
            )
            self._conn.commit()
        finally:
            self.abort()
        return {
            "id": self.document_id,
            "group_id": group_id,
            "title": title,
            "file_name": name,
            "audience": audience,
            "content_type": content_type,
            "size_bytes": self._facts.size,
            "sha256": digest,
        }

    def abort(self) -> None:
        """Roll back whatever was not committed and give the connection back (idempotent)."""
        if self._returned:
            return
        self._returned = True
        try:
            self._conn.rollback()
        finally:
            self._ctx.pool.putconn(self._conn)

    def _settle_type(self, *, complete: bool) -> None:
        self._content_type = sniff(self._facts.head, self._declared_name, complete=complete)
        if self._content_type is None:
            raise UploadRefused(
                415,
                "The file's bytes are not a type the platform keeps (PDF, images, office"
                " documents, plain text).",
            )

    def _store(self, sealed: list[tuple[int, bytes]]) -> None:
        segments.save_segments(self._conn, self.document_id, sealed)
