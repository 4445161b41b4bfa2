"""What a delivery says: the message, who sent it (name, role, force) and its stable reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from snp_messaging.adapters.channels import Outgoing, OutgoingAttachment

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


def compose(
    message: MessageForDelivery,
    delivery_id: str,
    address: str,
    recipient_name: str,
    portal_base_url: str,
    attachments: tuple[OutgoingAttachment, ...] = (),
) -> Outgoing:
    who = ", ".join(
        p for p in (message.sender_name, message.sender_role, message.sender_force) if p
    )
    lines = [
        message.body,
        "",
        f"From {who}.",
    ]
    if message.link:
        lines += ["", f"Sign in to read it: {message.link}"]
    if message.attachments and not attachments:
        for a in message.attachments:
            lines.append(
                f"Attachment {a['filename']} (sign in): "
                + ATTACHMENT_LINK.format(base=portal_base_url.rstrip("/"), attachment_id=a["id"])
            )
    lines += [
        "",
        f"Sent through the Safer Neighbourhoods Platform. Delivery reference {delivery_id}.",
    ]
    subject = message.subject
    if message.priority in ("high", "urgent"):
        subject = f"[{message.priority.upper()}] {subject}"
    return Outgoing(delivery_id, address, recipient_name, subject, "\n".join(lines), attachments)
