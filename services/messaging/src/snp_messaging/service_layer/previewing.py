"""A draft as its recipients will see it, before it is sent: the same checks, the same policy
decision and the same 422 as sending, then the message as the inbox shows it and the mail as
the workers compose it (`compose`, the one renderer of mail and texts). Nothing is stored."""

from __future__ import annotations

from typing import Any

from snp_messaging.adapters import message_attachments
from snp_messaging.adapters.channels import OutgoingAttachment
from snp_messaging.adapters.directory import DirectoryUnavailable
from snp_messaging.domain.messages import Draft
from snp_messaging.service_layer.compose import MessageForDelivery, compose
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_messaging.service_layer.sending import UNKNOWN_ATTACHMENT, reach_of, ready_to_send
from snp_platform.tokens import Principal

# Each delivery's own reference is made when it is sent.
PREVIEW_REFERENCE = "given to each recipient's copy when it is sent"


def preview(ctx: MessagingContext, principal: Principal, draft: Draft) -> dict[str, Any]:
    ready = ready_to_send(ctx, principal, draft)
    tenant = principal.tenant
    with ctx.pool.connection() as conn:
        attached = message_attachments.unclaimed(
            conn, tenant, principal.account_id, ready.draft.attachment_ids
        )
        audience = ready.audience
        reached = reach_of(conn, tenant, ready.draft, audience, ready.provider)
    if len(attached) != len(ready.draft.attachment_ids):
        raise InvalidInput([UNKNOWN_ATTACHMENT])
    try:
        name = ctx.directory.display_names(tenant, [principal.account_id]).get(
            principal.account_id, ""
        )
    except DirectoryUnavailable:
        name = ""
    attachments = [
        {
            "id": a.attachment_id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
        }
        for a in attached
    ]
    message = MessageForDelivery(
        "",
        ready.draft.subject,
        ready.draft.body,
        ready.draft.priority.value,
        name,
        ready.sender.role,
        ready.sender.force,
        "",
        attachments,
        ready.draft.message_type.value,
        ready.draft.poll is not None,
    )
    # By SMTP the files travel with the mail; by Notify the mail links to them (as sent).
    files = (
        tuple(OutgoingAttachment(a.filename, a.content_type, b"") for a in attached)
        if ctx.settings.email_provider == "smtp"
        else ()
    )
    mail = compose(message, PREVIEW_REFERENCE, "", "", ctx.settings.portal_base_url, files)
    return {
        "subject": ready.draft.subject,
        "body": ready.draft.body,
        "type": ready.draft.message_type.value,
        "priority": ready.draft.priority.value,
        "sender": {"name": name or None, "role": ready.sender.role, "force": ready.sender.force},
        "audience": {"type": audience.type.value, "id": audience.id},
        "attachments": attachments,
        "email": {
            "subject": mail.subject,
            "text": mail.text,
            "attachments": [a.filename for a in files],
        },
        "recipients": len(reached.inbox),
        "deliveries": reached.sends,
    }
