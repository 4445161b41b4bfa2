"""What other services' events cause in messaging: run once per event id, never by a rebuild
(see snp_platform.projections)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.documents.v1 import events_pb2 as documents
from snp.identity.v1 import events_pb2 as identity
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import recipients
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.service_layer import account_mail, forwarding
from snp_messaging.service_layer.contact_problems import clear_changed_addresses

Conn = psycopg.Connection[Any]


class ForwardedDocumentsNotify:
    """A document forwarded to a mailing list becomes a notification to the list's members."""

    name = "messaging.forwarded-documents-notify"
    event_types = (f"documents.{documents.DocumentForwarded.DESCRIPTOR.name}",)

    def __init__(self, streams: MessagingStreams, portal_base_url: str) -> None:
        self._streams, self._portal_base_url = streams, portal_base_url

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == f"documents.{documents.DocumentForwarded.DESCRIPTOR.name}":
            forwarding.notify_forwarded(self._streams, conn, envelope, self._portal_base_url)


class ErasedAccountsAreForgotten:
    """An erased account is sent nothing more and leaves no preferences behind."""

    name = "messaging.erased-accounts-forgotten"
    event_types = (f"identity.{identity.AccountErased.DESCRIPTOR.name}",)

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == f"identity.{identity.AccountErased.DESCRIPTOR.name}":
            account_id = identity.AccountErased.FromString(envelope.payload).account_id
            recipients.forget_erased_account(conn, account_id)


class ChangedAddressesClearProblems:
    """A member who changed a bounced address is no longer told it bounced."""

    name = "messaging.changed-addresses-clear-problems"
    event_types = (f"identity.{identity.ContactUpdated.DESCRIPTOR.name}",)

    def __init__(self, streams: MessagingStreams) -> None:
        self._streams = streams

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == f"identity.{identity.ContactUpdated.DESCRIPTOR.name}":
            clear_changed_addresses(self._streams, conn, envelope)


class PasswordResetsMailed:
    """A password reset (or a staff account's set-up link) identity recorded becomes the mail
    with its link (once per event)."""

    name = "messaging.password-resets-mailed"
    event_types = (f"identity.{identity.PasswordResetRequested.DESCRIPTOR.name}",)

    def __init__(self, streams: MessagingStreams, portal_base_url: str) -> None:
        self._streams, self._portal_base_url = streams, portal_base_url

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == f"identity.{identity.PasswordResetRequested.DESCRIPTOR.name}":
            account_mail.mail_password_reset(self._streams, conn, envelope, self._portal_base_url)


class AuthenticatorResetsMailed:
    """A staff account whose authenticator two administrators reset is told so (once)."""

    name = "messaging.authenticator-resets-mailed"
    event_types = (f"identity.{identity.AuthenticatorResetApproved.DESCRIPTOR.name}",)

    def __init__(self, streams: MessagingStreams, portal_base_url: str) -> None:
        self._streams, self._portal_base_url = streams, portal_base_url

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        approved = f"identity.{identity.AuthenticatorResetApproved.DESCRIPTOR.name}"
        if envelope.event_type == approved:
            account_mail.mail_authenticator_reset(
                self._streams, conn, envelope, self._portal_base_url
            )
