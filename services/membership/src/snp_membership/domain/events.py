"""Membership's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from snp.membership.v1 import events_pb2 as pb
from snp_platform.eventstore.codec import EventCodec

SCHEMA_VERSION = 1
CODEC = EventCodec(
    "membership",
    SCHEMA_VERSION,
    (
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
        pb.AreaSet,
        pb.AreaExported,
    ),
)
# Names are `membership.<Message>`; parse_event raises UnknownEventType (a KeyError) for others.
EVENT_TYPES, event_type, parse_event = CODEC.types, CODEC.event_type, CODEC.parse
