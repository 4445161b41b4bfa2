"""Police attachments as they go with messages: claimed by the message they were uploaded for,
and read (content included) by the workers that deliver it. The content is stored sealed
(adapters.attachment_sealing) and opened here, on its way out."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from snp_messaging.adapters.attachment_sealing import AttachmentSeal, SealedAttachment

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class Claimed:
    attachment_id: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Content:
    message_id: str
    filename: str
    content_type: str
    content: bytes


def claim(
    conn: Conn, tenant: str, uploader: str, message_id: str, attachment_ids: Sequence[str]
) -> list[Claimed]:
    """The uploader's attachments among these ids that are unclaimed (or this message's already:
    a held alert claimed them when it was held), now the message's."""
    rows = conn.execute(
        "UPDATE attachments SET message_id = %s WHERE attachment_id = ANY(%s::uuid[]) "
        "AND tenant = %s AND uploaded_by = %s AND (message_id IS NULL OR message_id = %s) "
        "RETURNING attachment_id::text, filename, content_type, size, sha256",
        (message_id, list(attachment_ids), tenant, uploader, message_id),
    ).fetchall()
    return [Claimed(*r) for r in rows]


def release(conn: Conn, tenant: str, message_id: str) -> int:
    """The attachments a held alert claimed, unclaimed again (it was rejected or withdrawn,
    so it will never be sent): the uploader may send them with another message. How many."""
    return conn.execute(
        "UPDATE attachments SET message_id = NULL WHERE message_id = %s AND tenant = %s",
        (message_id, tenant),
    ).rowcount


def unclaimed(
    conn: Conn, tenant: str, uploader: str, attachment_ids: Sequence[str]
) -> list[Claimed]:
    """The uploader's still-unclaimed attachments among these ids (a preview's: none claimed)."""
    rows = conn.execute(
        "SELECT attachment_id::text, filename, content_type, size, sha256 FROM attachments"
        " WHERE attachment_id = ANY(%s::uuid[]) AND tenant = %s AND uploaded_by = %s"
        " AND message_id IS NULL ORDER BY created_at",
        (list(attachment_ids), tenant, uploader),
    ).fetchall()
    return [Claimed(*r) for r in rows]


def _opened(seal: AttachmentSeal, row: Sequence[Any]) -> bytes:
    """Opens the row's last five columns: attachment id, tenant, wrapped key, salt, content."""
    attachment_id, tenant, wrapped_key, salt, content = row
    sealed = SealedAttachment(bytes(wrapped_key), bytes(salt), bytes(content))
    return seal.open(tenant, attachment_id, sealed)


def contents(conn: Conn, seal: AttachmentSeal, message_ids: Collection[str]) -> list[Content]:
    """The attachments of these messages, in the order they were uploaded, opened."""
    rows = conn.execute(
        "SELECT message_id::text, filename, content_type,"
        " attachment_id::text, tenant, wrapped_key, salt, content FROM attachments"
        " WHERE message_id = ANY(%s::uuid[]) ORDER BY created_at",
        (list(message_ids),),
    ).fetchall()
    return [Content(r[0], r[1], r[2], _opened(seal, r[3:])) for r in rows]


@dataclass(frozen=True)
class Sent:
    """An attachment of a sent message, with what deciding who may open it needs."""

    filename: str
    content_type: str
    content: bytes
    uploaded_by: str
    message_id: str
    tenant: str


def store(
    conn: Conn,
    seal: AttachmentSeal,
    tenant: str,
    uploaded_by: str,
    attachment: Claimed,
    content: bytes,
) -> None:
    """Keep an uploaded attachment, sealed, until a message claims it."""
    sealed = seal.seal(tenant, attachment.attachment_id, content)
    conn.execute(
        "INSERT INTO attachments (attachment_id, tenant, uploaded_by, filename, content_type,"
        " size, sha256, content, wrapped_key, salt)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            attachment.attachment_id,
            tenant,
            uploaded_by,
            attachment.filename,
            attachment.content_type,
            attachment.size,
            attachment.sha256,
            sealed.ciphertext,
            sealed.wrapped_key,
            sealed.salt,
        ),
    )


def find_sent(conn: Conn, seal: AttachmentSeal, attachment_id: str) -> Sent | None:
    """The attachment once a message has claimed it, opened (None before, or for an unknown
    id)."""
    row = conn.execute(
        "SELECT filename, content_type, uploaded_by, message_id::text,"
        " attachment_id::text, tenant, wrapped_key, salt, content"
        " FROM attachments WHERE attachment_id = %s AND message_id IS NOT NULL",
        (attachment_id,),
    ).fetchone()
    if row is None:
        return None
    return Sent(row[0], row[1], _opened(seal, row[4:]), row[2], row[3], row[5])


def seal_plaintext_rows(conn: Conn, seal: AttachmentSeal) -> int:
    """Seal the attachments stored before they were sealed (no wrapped key); how many."""
    rows = conn.execute(
        "SELECT attachment_id::text, tenant, content FROM attachments WHERE wrapped_key IS NULL"
        " FOR UPDATE"
    ).fetchall()
    for attachment_id, tenant, content in rows:
        sealed = seal.seal(tenant, attachment_id, bytes(content))
        conn.execute(
            "UPDATE attachments SET content = %s, wrapped_key = %s, salt = %s"
            " WHERE attachment_id = %s",
            (sealed.ciphertext, sealed.wrapped_key, sealed.salt, attachment_id),
        )
    return len(rows)


def in_inbox(conn: Conn, account_id: str, message_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM inbox WHERE account_id = %s AND message_id = %s", (account_id, message_id)
    ).fetchone()
    return row is not None
