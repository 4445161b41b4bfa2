"""Membership's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as pb

SCHEMA_VERSION = 1
_MESSAGES: tuple[type[Message], ...] = (
    pb.GroupCreated,
    pb.GroupUpdated,
    pb.GroupVisibilityChanged,
    pb.GroupClosed,
    pb.JoinRequested,
    pb.JoinRejected,
    pb.MemberAdmitted,
    pb.MemberLeft,
    pb.MemberRemoved,
    pb.OfficerAppointed,
    pb.OfficerStoodDown,
    pb.ApprovalMarked,
    pb.ApprovalWithdrawn,
    pb.GroupNeedsOfficer,
)
EVENT_TYPES: dict[str, type[Message]] = {f"membership.{m.DESCRIPTOR.name}": m for m in _MESSAGES}


def event_type(message: Message) -> str:
    """The wire name of an event, e.g. `membership.MemberAdmitted`."""
    return f"membership.{message.DESCRIPTOR.name}"


def parse_event(name: str, payload: bytes) -> Message:
    """The protobuf message of a recorded event; KeyError for a type membership never wrote."""
    message = EVENT_TYPES[name]()
    message.ParseFromString(payload)
    return message
