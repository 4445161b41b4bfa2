"""Documents' event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from google.protobuf.message import Message

from snp.documents.v1 import events_pb2 as pb

SCHEMA_VERSION = 1
_MESSAGES: tuple[type[Message], ...] = (
    pb.DocumentStored,
    pb.DocumentDeleted,
    pb.DocumentForwarded,
    pb.MailingListCreated,
    pb.MailingListMembersReplaced,
    pb.MailingListMemberRemoved,
    pb.MailingListDeleted,
    pb.GroupKeyCreated,
    pb.GroupKeyRewrapped,
)
EVENT_TYPES: dict[str, type[Message]] = {f"documents.{m.DESCRIPTOR.name}": m for m in _MESSAGES}


def event_type(message: Message) -> str:
    """The wire name of an event, e.g. `documents.DocumentStored`."""
    return f"documents.{message.DESCRIPTOR.name}"


def parse_event(name: str, payload: bytes) -> Message:
    """The protobuf message of a recorded event; KeyError for a type documents never wrote."""
    message = EVENT_TYPES[name]()
    message.ParseFromString(payload)
    return message
