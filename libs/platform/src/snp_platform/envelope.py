"""The event envelope: building event ids and checking envelopes that arrive from Kafka."""

from __future__ import annotations

import uuid

import uuid6
from google.protobuf.message import DecodeError

from snp.v1.envelope_pb2 import EventEnvelope


class MalformedEnvelope(ValueError):
    """Bytes that are not a usable event envelope (a poison message)."""


def new_event_id() -> str:
    """A fresh UUIDv7: unique and roughly ordered by creation time."""
    return str(uuid6.uuid7())


def decode_envelope(data: bytes | None) -> EventEnvelope:
    """Parse and validate an envelope; raise MalformedEnvelope for anything unusable.

    Protobuf happily parses many random byte strings (an empty one is a valid empty message),
    so parsing alone does not tell a poison message from an event: the identifying fields must
    be present and well formed too.
    """
    if not data:
        raise MalformedEnvelope("empty message")
    envelope = EventEnvelope()
    try:
        envelope.ParseFromString(data)
    except DecodeError as error:
        raise MalformedEnvelope(f"not a protobuf EventEnvelope: {error}") from error
    try:
        uuid.UUID(envelope.event_id)
    except ValueError as error:
        raise MalformedEnvelope(f"event_id is not a UUID: {envelope.event_id!r}") from error
    missing = [
        name for name in ("event_type", "tenant", "stream_id") if not getattr(envelope, name)
    ]
    if missing:
        raise MalformedEnvelope(f"missing fields: {', '.join(missing)}")
    if envelope.stream_version < 1:
        raise MalformedEnvelope("stream_version must be at least 1")
    return envelope
