"""A service's streams as protobuf messages: typed events in, typed events out.

The one way a service records events. With a `read_model`, each recorded event is also applied
to the service's own tables in the same transaction as the append, so the events and the rows
read for the next decision never disagree. With an `appender` (group commit, opt-in), the
appends that own their transaction (no `conn`) share a commit with the process's concurrent
appends, their read-model rows still in the same transaction as their events; an append in a
caller's transaction (`conn`) commits with that transaction, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import psycopg
from google.protobuf.message import Message

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.eventstore.group_commit import GroupCommitAppender
from snp_platform.eventstore.model import EventMetadata, NewEvent, RecordedEvent, Stream
from snp_platform.eventstore.store import EventStore


class ReadModel(Protocol):
    """State kept from the service's own events (a projection: rows only, no reactions)."""

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None: ...


class TypedStreams:
    """Loads and appends a service's events, named and parsed by the service's own codec."""

    def __init__(
        self,
        store: EventStore,
        event_type: Callable[[Message], str],
        parse_event: Callable[[str, bytes], Message],
        schema_version: int,
        *,
        service: str = "",
        read_model: ReadModel | None = None,
        appender: GroupCommitAppender | None = None,
    ) -> None:
        if read_model is not None and not service:
            raise ValueError("a read model needs the service whose events it applies")
        self._store = store
        self._event_type, self._parse_event = event_type, parse_event
        self._schema_version = schema_version
        self._service, self._read_model = service, read_model
        self._appender = appender

    @property
    def store(self) -> EventStore:
        return self._store

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
    ) -> list[RecordedEvent]:
        """Record the messages if the stream is still at `expected_version` (else 409), and
        apply them to the read model in the same transaction; the recorded events back."""
        if not messages:
            return []
        events = [
            NewEvent(
                self._event_type(m), m.SerializeToString(), schema_version=self._schema_version
            )
            for m in messages
        ]
        if conn is None and self._appender is not None:
            then = self._apply if self._read_model is not None else None
            return self._appender.append(stream, events, expected_version, metadata, then=then)
        if self._read_model is None:
            return self._store.append(stream, events, expected_version, metadata, conn=conn)
        if conn is None:
            with self._store.pool.connection() as own, own.transaction():
                return self._append_and_apply(own, stream, events, expected_version, metadata)
        with conn.transaction():
            return self._append_and_apply(conn, stream, events, expected_version, metadata)

    def _append_and_apply(
        self,
        conn: psycopg.Connection[Any],
        stream: Stream,
        events: list[NewEvent],
        expected_version: int,
        metadata: EventMetadata,
    ) -> list[RecordedEvent]:
        recorded = self._store.append(stream, events, expected_version, metadata, conn=conn)
        self._apply(conn, recorded)
        return recorded

    def _apply(self, conn: psycopg.Connection[Any], recorded: list[RecordedEvent]) -> None:
        assert self._read_model is not None
        for event in recorded:
            self._read_model.apply(conn, event.to_envelope(self._service))
