"""Identity's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb

SCHEMA_VERSION = 1
_MESSAGES: tuple[type[Message], ...] = (
    pb.TenantRegistered,
    pb.AccountRegistered,
    pb.ContactUpdated,
    pb.PasswordChanged,
    pb.TotpEnrolmentStarted,
    pb.TotpEnrolled,
    pb.RecoveryCodeUsed,
    pb.SignInSucceeded,
    pb.SignInFailed,
    pb.AccountLockedOut,
    pb.RoleGranted,
    pb.RoleRevoked,
    pb.AccountDisabled,
    pb.AccountErased,
    pb.RefreshFamilyRevoked,
    pb.ContactsReleased,
)
EVENT_TYPES: dict[str, type[Message]] = {f"identity.{m.DESCRIPTOR.name}": m for m in _MESSAGES}


def event_type(message: Message) -> str:
    """The wire name of an event, e.g. `identity.AccountRegistered`."""
    return f"identity.{message.DESCRIPTOR.name}"


def parse_event(name: str, payload: bytes) -> Message:
    """The protobuf message of a recorded event; KeyError for a type identity never wrote."""
    message = EVENT_TYPES[name]()
    message.ParseFromString(payload)
    return message
