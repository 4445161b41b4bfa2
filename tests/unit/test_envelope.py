"""Envelope validation tells poison messages from events; event ids are UUIDv7."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.envelope import MalformedEnvelope, decode_envelope, new_event_id
from snp_platform.eventstore import EventMetadata, RecordedEvent, Stream


def valid() -> EventEnvelope:
    return EventEnvelope(
        event_id=new_event_id(),
        event_type="t.Happened",
        tenant="met",
        stream_id="s-1",
        stream_version=1,
    )


def test_event_ids_are_uuid7_and_time_ordered() -> None:
    ids = [new_event_id() for _ in range(50)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == 50


def test_a_valid_envelope_round_trips() -> None:
    envelope = valid()
    assert decode_envelope(envelope.SerializeToString()) == envelope


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (None, "empty"),
        (b"", "empty"),
        (b"\xff\xff\xff", "not a protobuf"),
        (b"hello world", "not a protobuf"),
        (EventEnvelope(event_type="x").SerializeToString(), "not a UUID"),
    ],
)
def test_garbage_is_malformed(data: bytes | None, reason: str) -> None:
    with pytest.raises(MalformedEnvelope, match=reason):
        decode_envelope(data)


@pytest.mark.parametrize("field", ["event_type", "tenant", "stream_id"])
def test_missing_identifying_fields_are_malformed(field: str) -> None:
    envelope = valid()
    envelope.ClearField(field)
    with pytest.raises(MalformedEnvelope, match=field):
        decode_envelope(envelope.SerializeToString())


def test_stream_version_zero_is_malformed() -> None:
    envelope = valid()
    envelope.stream_version = 0
    with pytest.raises(MalformedEnvelope, match="stream_version"):
        decode_envelope(envelope.SerializeToString())


def test_recorded_event_becomes_the_envelope_on_the_wire() -> None:
    occurred = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    recorded = RecordedEvent(
        position=7,
        stream=Stream("met", "group-1"),
        stream_version=3,
        event_type="t.Happened",
        event_id=new_event_id(),
        schema_version=2,
        occurred_at=occurred,
        payload=b"\x01",
        metadata=EventMetadata("acct", "corr", "cause", "00-aa-bb-01", "k=v"),
        recorded_at=occurred,
    )
    envelope = recorded.to_envelope("membership")
    assert decode_envelope(envelope.SerializeToString()) == envelope
    assert (envelope.tenant, envelope.stream_id, envelope.stream_version) == ("met", "group-1", 3)
    assert envelope.occurred_at.ToDatetime(tzinfo=UTC) == occurred
    assert (envelope.actor, envelope.correlation_id, envelope.causation_id) == (
        "acct",
        "corr",
        "cause",
    )
    assert envelope.trace_context.traceparent == "00-aa-bb-01"
    assert envelope.source_service == "membership" and envelope.schema_version == 2
