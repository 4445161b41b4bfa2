"""Messaging's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from snp.messaging.v1 import events_pb2 as pb
from snp_platform.eventstore.codec import EventCodec

SCHEMA_VERSION = 1
CODEC = EventCodec(
    "messaging",
    SCHEMA_VERSION,
    (
        pb.MessageSent,
        pb.AttachmentStored,
        pb.PreferencesChanged,
        pb.ContactDeliveryProblemRecorded,
        pb.ContactDeliveryProblemCleared,
        pb.DeliveryFellBack,
        pb.ProviderConsentChanged,
        pb.ProviderDefaultsChanged,
        pb.AlertApprovalRuleChanged,
        pb.AlertHeld,
        pb.AlertEdited,
        pb.AlertApproved,
        pb.AlertRejected,
        pb.AlertWithdrawn,
        pb.MessageFollowedUp,
        pb.DigestScheduleChanged,
        pb.PollAttached,
        pb.PollAnswered,
        pb.MessageRated,
        pb.AnonymousRepliesAllowed,
        pb.ReplyPosted,
        pb.ReplyAnswered,
        pb.ReplyThreadHandled,
    ),
)
# Names are `messaging.<Message>`; parse_event raises UnknownEventType (a KeyError) for others.
EVENT_TYPES, event_type, parse_event = CODEC.types, CODEC.event_type, CODEC.parse
