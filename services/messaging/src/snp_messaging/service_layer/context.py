"""What messaging's use cases share: the database, OPA, identity's directory, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg_pool import ConnectionPool

from snp_messaging.adapters.attachment_sealing import AttachmentSeal, AttachmentsUnavailable
from snp_messaging.adapters.directory import Directory
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.settings import MessagingSettings
from snp_platform.eventstore import EventStore
from snp_platform.opa import OpaClient


class InvalidInput(Exception):
    """Input that breaks a rule the caller can fix (422), with one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class NotFound(Exception):
    """No such message or attachment in the caller's tenant (404, which also hides others)."""


class TooLarge(Exception):
    """An attachment over the size limit (413)."""


@dataclass
class MessagingContext:
    """Wiring for the use cases; built once per process by the entrypoint."""

    pool: ConnectionPool[Any]
    opa: OpaClient
    directory: Directory
    settings: MessagingSettings
    streams: MessagingStreams = field(init=False)
    _attachment_seal: AttachmentSeal | None = field(init=False)

    def __post_init__(self) -> None:
        self.streams = MessagingStreams(EventStore(self.pool))
        self._attachment_seal = attachment_seal(self.settings)

    @property
    def attachment_seal(self) -> AttachmentSeal:
        if self._attachment_seal is None:
            raise AttachmentsUnavailable("attachments are not taken: no attachment key is set")
        return self._attachment_seal


def attachment_seal(settings: MessagingSettings) -> AttachmentSeal | None:
    return AttachmentSeal.from_config(settings.attachment_keks.get_secret_value())
