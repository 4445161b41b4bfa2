"""What documents' use cases share: the database, the group keys, the policy, the limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg_pool import ConnectionPool

from snp_documents.adapters.event_streams import DocumentStreams
from snp_documents.adapters.group_keys import GroupKeys
from snp_platform.directory import DisplayNames, NoDisplayNames
from snp_platform.eventstore import EventStore
from snp_platform.opa import OpaClient


class NotFound(Exception):
    """No such document, list or group for this caller (404, which also hides other tenants)."""


@dataclass
class DocumentsContext:
    """Wiring for the use cases; built once per process by the entrypoint."""

    pool: ConnectionPool[Any]
    keys: GroupKeys
    opa: OpaClient
    max_document_bytes: int
    segment_bytes: int
    # Identity's directory: mailing lists show their members by name.
    directory: DisplayNames = field(default_factory=NoDisplayNames)

    @property
    def streams(self) -> DocumentStreams:
        return DocumentStreams(EventStore(self.pool))
