"""Values the event store takes and returns; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from snp.v1.envelope_pb2 import EventEnvelope, TraceContext
from snp_platform.envelope import new_event_id


@dataclass(frozen=True)
class Stream:
    """One aggregate's stream, always inside one tenant."""

    tenant: str
    stream_id: str


@dataclass(frozen=True)
class EventMetadata:
    """Who and what caused the events of one append."""

    actor: str
    correlation_id: str = ""
    causation_id: str = ""
    traceparent: str = ""
    tracestate: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "actor": self.actor,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "traceparent": self.traceparent,
            "tracestate": self.tracestate,
        }


@dataclass(frozen=True)
class NewEvent:
    """An event a handler decided on, not yet recorded."""

    event_type: str
    payload: bytes
    schema_version: int = 1
    event_id: str = field(default_factory=new_event_id)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class RecordedEvent:
    """An event as the store holds it, with its global position."""

    position: int
    stream: Stream
    stream_version: int
    event_type: str
    event_id: str
    schema_version: int
    occurred_at: datetime
    payload: bytes
    metadata: EventMetadata
    recorded_at: datetime

    def to_envelope(self, source_service: str) -> EventEnvelope:
        """The envelope this event travels in on Kafka."""
        occurred_at = Timestamp()
        occurred_at.FromDatetime(self.occurred_at.astimezone(UTC))
        return EventEnvelope(
            event_id=self.event_id,
            event_type=self.event_type,
            schema_version=self.schema_version,
            tenant=self.stream.tenant,
            stream_id=self.stream.stream_id,
            stream_version=self.stream_version,
            occurred_at=occurred_at,
            actor=self.metadata.actor,
            correlation_id=self.metadata.correlation_id,
            causation_id=self.metadata.causation_id,
            trace_context=TraceContext(
                traceparent=self.metadata.traceparent, tracestate=self.metadata.tracestate
            ),
            payload=self.payload,
            source_service=source_service,
        )


class ConcurrencyError(Exception):
    """The stream moved on since the caller read it (HTTP 409, gRPC ABORTED)."""

    def __init__(self, stream: Stream, expected_version: int, actual_version: int) -> None:
        super().__init__(
            f"stream {stream.stream_id} is at version {actual_version}, expected {expected_version}"
        )
        self.stream = stream
        self.expected_version = expected_version
        self.actual_version = actual_version
