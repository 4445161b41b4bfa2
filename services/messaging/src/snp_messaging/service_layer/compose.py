"""What a delivery says: the message, who sent it (name, role, force) and its stable reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from snp_messaging.adapters.channels import Outgoing, OutgoingAttachment
from snp_messaging.domain.fallback import text_notice

# The portal's download of a police attachment: it signs the reader in first.
ATTACHMENT_LINK = "{base}/attachments/{attachment_id}"


@dataclass(frozen=True)
class MessageForDelivery:
    message_id: str
    subject: str
    body: str
    priority: str
    sender_name: str
    sender_role: str
    sender_force: str
    link: str
    attachments: list[dict[str, Any]]
    message_type: str = ""
    has_poll: bool = False  # the mail says where to answer it
    is_fallback: bool = False  # a text in place of an email that failed: it says so first


def compose(
    message: MessageForDelivery,
    delivery_id: str,
    address: str,
    recipient_name: str,
    portal_base_url: str,
    attachments: tuple[OutgoingAttachment, ...] = (),
) -> Outgoing:
    footer = f"Sent through the Safer Neighbourhoods Platform. Delivery reference {delivery_id}."
    if message.message_type in ("account", "digest"):
        # About the reader's own account or their digest: no sender to introduce.
        greeting = f"Hello {recipient_name}," if recipient_name else "Hello,"
        # The footer on two lines: a delivery id is a UUID, which would make one line too long.
        sent, reference = footer.split(". ", 1)
        text = "\n".join([greeting, "", message.body, "", f"{sent}.", reference])
        return Outgoing(delivery_id, address, recipient_name, message.subject, text)
    who = ", ".join(
        p for p in (message.sender_name, message.sender_role, message.sender_force) if p
    )
    lines = [text_notice(), ""] if message.is_fallback else []
    lines += [
        message.body,
        "",
        f"From {who}.",
    ]
    if message.has_poll:
        inbox = f"{portal_base_url.rstrip('/')}/inbox"
        where = f"{inbox}/{message.message_id}" if message.message_id else inbox
        lines += ["", f"This message has a poll. Answer it in your messages (sign in): {where}"]
    if message.link:
        lines += ["", f"Sign in to read it: {message.link}"]
    if message.attachments and not attachments:
        for a in message.attachments:
            lines.append(
                f"Attachment {a['filename']} (sign in): "
                + ATTACHMENT_LINK.format(base=portal_base_url.rstrip("/"), attachment_id=a["id"])
            )
    lines += ["", footer]
    subject = message.subject
    if message.priority in ("high", "urgent"):
        subject = f"[{message.priority.upper()}] {subject}"
    return Outgoing(
        delivery_id, address, recipient_name, subject, "\n".join(lines), attachments, True
    )
