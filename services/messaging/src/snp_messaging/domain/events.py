"""Messaging's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from google.protobuf.message import Message

from snp.messaging.v1 import events_pb2 as pb

SCHEMA_VERSION = 1
_MESSAGES: tuple[type[Message], ...] = (
    pb.MessageSent,
    pb.AttachmentStored,
    pb.PreferencesChanged,
    pb.ContactDeliveryProblemRecorded,
)
EVENT_TYPES: dict[str, type[Message]] = {f"messaging.{m.DESCRIPTOR.name}": m for m in _MESSAGES}


def event_type(message: Message) -> str:
    """The wire name of an event, e.g. `messaging.MessageSent`."""
    return f"messaging.{message.DESCRIPTOR.name}"


def parse_event(name: str, payload: bytes) -> Message:
    """The protobuf message of a recorded event; KeyError for a type messaging never wrote."""
    message = EVENT_TYPES[name]()
    message.ParseFromString(payload)
    return message
