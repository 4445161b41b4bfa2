"""Bounces that arrive after the SMTP session: delivery status notifications (RFC 3464), read
from the bounce mailbox. A DSN names the failed recipient and, in the headers it returns, our
Message-ID (`<delivery id@mail domain>`), which says which delivery failed. Only a DSN whose
action is `failed` with a permanent (5.x.x) status counts; a delay, a success report, an
out-of-office reply or any other mail is not a bounce."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import Message

_DELIVERY_HEADER = "X-SNP-Delivery-Id"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


@dataclass(frozen=True)
class Bounce:
    delivery_id: str
    reason: str  # the status and diagnostic, as the remote server gave them


def read_bounce(raw: bytes, mail_domain: str) -> Bounce | None:
    """The permanent failure this mail reports for one of our deliveries, or None."""
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    if mail.get_content_type() != "multipart/report":
        return None
    if str(mail.get_param("report-type", "")).lower() != "delivery-status":
        return None
    failure = _permanent_failure(mail)
    if failure is None:
        return None
    delivery_id = _our_delivery(mail, mail_domain)
    return None if delivery_id is None else Bounce(delivery_id, failure[:300])


def _permanent_failure(mail: Message) -> str | None:
    for part in mail.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for fields in _recipient_fields(part):
            action = fields.get("action", "").lower()
            status = fields.get("status", "")
            if action == "failed" and status.startswith("5."):
                diagnostic = fields.get("diagnostic-code", "")
                return f"dsn {status}: {diagnostic}".strip().rstrip(":")
    return None


def _recipient_fields(part: Message) -> list[dict[str, str]]:
    """The per-recipient field groups of a message/delivery-status part (the first group is
    the message's own, and names no action)."""
    payload = part.get_payload()
    blocks: list[str] = []
    if isinstance(payload, list):  # the parser gives each group as a message of headers
        blocks = [str(group) for group in payload]
    elif isinstance(payload, str):
        blocks = re.split(r"\r?\n\r?\n", payload)
    groups = []
    for block in blocks:
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, sep, value = line.partition(":")
            if sep and not line[:1].isspace():
                fields[name.strip().lower()] = value.strip()
        groups.append(fields)
    return groups


def _our_delivery(mail: Message, mail_domain: str) -> str | None:
    """The delivery id in the headers the DSN returns (its text/rfc822-headers or
    message/rfc822 part): our own header, else our Message-ID."""
    ours = re.compile(rf"<({_UUID})@{re.escape(mail_domain)}>")
    for part in mail.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            returned = part.get_payload(0) if part.is_multipart() else None
            headers = returned if isinstance(returned, Message) else None
        elif kind == "text/rfc822-headers":
            headers = email.message_from_string(
                str(part.get_payload(decode=False)), policy=email.policy.default
            )
        else:
            continue
        if headers is None:
            continue
        own = str(headers.get(_DELIVERY_HEADER, "")).strip()
        if re.fullmatch(_UUID, own):
            return own.lower()
        found = ours.search(str(headers.get("Message-ID", "")))
        if found:
            return found.group(1).lower()
    return None
