"""Documents' event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from snp.documents.v1 import events_pb2 as pb
from snp_platform.eventstore.codec import EventCodec

SCHEMA_VERSION = 1
CODEC = EventCodec(
    "documents",
    SCHEMA_VERSION,
    (
        pb.DocumentStored,
        pb.DocumentDeleted,
        pb.DocumentForwarded,
        pb.MailingListCreated,
        pb.MailingListMembersReplaced,
        pb.MailingListMemberRemoved,
        pb.MailingListDeleted,
        pb.GroupKeyCreated,
        pb.GroupKeyRewrapped,
    ),
)
# Names are `documents.<Message>`; parse_event raises UnknownEventType (a KeyError) for others.
EVENT_TYPES, event_type, parse_event = CODEC.types, CODEC.event_type, CODEC.parse
