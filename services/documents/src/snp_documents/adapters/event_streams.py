"""Documents' streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp_documents.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventMetadata, EventStore, NewEvent, Stream


def document_stream(tenant: str, document_id: str) -> Stream:
    return Stream(tenant, f"document:{document_id}")


def mailing_list_stream(tenant: str, mailing_list_id: str) -> Stream:
    return Stream(tenant, f"mailing-list:{mailing_list_id}")


def group_key_stream(tenant: str, group_id: str) -> Stream:
    return Stream(tenant, f"group-key:{group_id}")


class DocumentStreams:
    """Loads and appends documents' events (typed messages in, typed messages out)."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    def load(self, stream: Stream) -> tuple[list[Message], int]:
        """The stream's events and its version (0 when it does not exist)."""
        recorded = self._store.load(stream)
        messages = [parse_event(e.event_type, e.payload) for e in recorded]
        return messages, (recorded[-1].stream_version if recorded else 0)

    def append(
        self,
        stream: Stream,
        messages: Sequence[Message],
        expected_version: int,
        metadata: EventMetadata,
        conn: psycopg.Connection[Any] | None = None,
    ) -> None:
        """Record the messages if the stream is still at `expected_version` (else 409)."""
        if not messages:
            return
        events = [
            NewEvent(event_type(m), m.SerializeToString(), schema_version=SCHEMA_VERSION)
            for m in messages
        ]
        self._store.append(stream, events, expected_version, metadata, conn=conn)
