"""The one interface every channel (email over SMTP, GOV.UK Notify email and SMS) implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from snp_messaging.domain.deliveries import Attempt


@dataclass(frozen=True)
class OutgoingAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Outgoing:
    """One delivery, ready for a channel: the address is only held for this attempt."""

    delivery_id: str  # the stable id every copy of this delivery carries (Message-ID, reference)
    address: str
    recipient_name: str
    subject: str
    text: str
    attachments: tuple[OutgoingAttachment, ...] = field(default_factory=tuple)
    # A mail of it carries this delivery's own reply address (domain/reply_addresses.py).
    takes_replies: bool = False


class Channel(Protocol):
    """Sends one delivery and says what happened; never raises for the provider's answers."""

    name: str

    def address_of(self, email: str, phone: str) -> str: ...

    def send(self, outgoing: Outgoing) -> Attempt: ...

    def close(self) -> None: ...
