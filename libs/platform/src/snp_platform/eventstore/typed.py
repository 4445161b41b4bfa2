"""A service's streams as protobuf messages: typed events in, typed events out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp_platform.eventstore.model import EventMetadata, NewEvent, Stream
from snp_platform.eventstore.store import EventStore


class TypedStreams:
    """Loads and appends a service's events, named and parsed by the service's own codec."""

    def __init__(
        self,
        store: EventStore,
        event_type: Callable[[Message], str],
        parse_event: Callable[[str, bytes], Message],
        schema_version: int,
    ) -> None:
        self._store = store
        self._event_type, self._parse_event = event_type, parse_event
        self._schema_version = schema_version

    def load(self, stream: Stream) -> tuple[list[Message], int]:
        """The stream's events and its version (0 when it does not exist)."""
        recorded = self._store.load(stream)
        messages = [self._parse_event(e.event_type, e.payload) for e in recorded]
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
            NewEvent(
                self._event_type(m), m.SerializeToString(), schema_version=self._schema_version
            )
            for m in messages
        ]
        self._store.append(stream, events, expected_version, metadata, conn=conn)
