"""Police admin-panel documents: attachments of police messages, owned and kept here only.

They are never group documents (those live, encrypted per group, in the documents service):
an attachment belongs to one message, is uploaded by the police account that sends it, and is
read by that message's recipients.
"""

from __future__ import annotations

import uuid

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import event_streams, message_attachments
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.attachment_sealing import AttachmentsUnavailable
from snp_messaging.service_layer.context import InvalidInput, MessagingContext, NotFound, TooLarge
from snp_platform.authz import authorize
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal
from snp_platform.uploads import FileFacts, safe_file_name, sniff

# What police may attach: a few of the types the platform tells from the bytes.
ATTACHMENT_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})


def attachment_type(content: bytes, filename: str = "") -> str | None:
    """The attachment's type from its bytes, all of them (a text is UTF-8 throughout), or None
    when it is none of ATTACHMENT_TYPES."""
    return sniff(content, filename, complete=True, allowed=ATTACHMENT_TYPES)


def attachment_name(filename: str) -> str:
    """The name kept and sent: ASCII only, as the download's Content-Disposition quotes it."""
    return safe_file_name(filename, fallback="attachment", max_chars=120, ascii_only=True)


def upload(
    ctx: MessagingContext,
    principal: Principal,
    filename: str,
    content: bytes,
    metadata: EventMetadata,
) -> dict[str, object]:
    tenant_resource = {"type": "tenant", "id": principal.tenant, "tenant": principal.tenant}
    with ctx.pool.connection() as conn:
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
    authorize(ctx.opa, principal, "messaging.message.send", tenant_resource, roles)
    seal = ctx.attachment_seal
    if len(content) > ctx.settings.attachment_max_bytes:
        raise TooLarge(f"attachments are at most {ctx.settings.attachment_max_bytes} bytes")
    if not content:
        raise InvalidInput(["the attachment is empty"])
    content_type = attachment_type(content, filename)
    if content_type is None:
        raise InvalidInput(["attachments are PDF, PNG, JPEG or plain text"])
    content_facts = FileFacts.of(content)
    stored = message_attachments.Claimed(
        str(uuid.uuid4()),
        attachment_name(filename),
        content_type,
        len(content),
        content_facts.sha256,
    )
    event = pb.AttachmentStored(
        attachment=pb.Attachment(
            attachment_id=stored.attachment_id,
            filename=stored.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
        ),
        uploaded_by=principal.account_id,
    )
    stream = event_streams.attachment_stream(principal.tenant, stored.attachment_id)
    with ctx.pool.connection() as conn, conn.transaction():
        message_attachments.store(
            conn, seal, principal.tenant, principal.account_id, stored, content
        )
        ctx.streams.append(stream, [event], NO_STREAM, metadata, conn)
    return {
        "id": stored.attachment_id,
        "filename": stored.filename,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }


def download(
    ctx: MessagingContext, principal: Principal, attachment_id: str
) -> tuple[str, str, bytes]:
    """A recipient (or the sender) reads an attachment of a message in their inbox."""
    with ctx.pool.connection() as conn:
        sent = message_attachments.find_sent(conn, ctx.attachment_seal, attachment_id)
        if sent is None or sent.tenant != principal.tenant:
            raise NotFound(attachment_id)
        received = message_attachments.in_inbox(conn, principal.account_id, sent.message_id)
    # The reader's own inbox entry (or the sender's own message) is what they may open.
    owner = principal.account_id if received else sent.uploaded_by
    resource = {"type": "inbox", "id": attachment_id, "tenant": sent.tenant, "owner": owner}
    authorize(ctx.opa, principal, "messaging.inbox.read", resource)
    return sent.filename, sent.content_type, sent.content


def seal_stored_in_the_clear(ctx: MessagingContext) -> int:
    """Seal what was stored before attachments were sealed (once, as the api starts); how many
    rows. Without an attachment key there is nothing to seal with, and none was taken."""
    try:
        seal = ctx.attachment_seal
    except AttachmentsUnavailable:
        return 0
    with ctx.pool.connection() as conn, conn.transaction():
        return message_attachments.seal_plaintext_rows(conn, seal)
