"""Engagement's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from snp.engagement.v1 import events_pb2 as pb
from snp_platform.eventstore.codec import EventCodec

SCHEMA_VERSION = 1
CODEC = EventCodec(
    "engagement",
    SCHEMA_VERSION,
    (
        pb.PrioritySet,
        pb.PriorityEdited,
        pb.PrioritiesReordered,
        pb.PriorityRetired,
        pb.PeriodPublished,
        pb.ActionRecorded,
        pb.ActionUpdated,
        pb.ActionReviewed,
        pb.CandidateProposed,
        pb.VotingClosed,
        pb.VoteCast,
        pb.ReportFiled,
        pb.ReportPassed,
        pb.ReportStatusChanged,
        pb.ReportRetentionSet,
        pb.ReportShredded,
        pb.EventScheduled,
        pb.EventMoved,
        pb.EventCancelled,
        pb.EventOutcomeRecorded,
        pb.InterestRegistered,
        pb.InterestWithdrawn,
    ),
)
# Names are `engagement.<Message>`; parse_event raises UnknownEventType (a KeyError) for others.
EVENT_TYPES, event_type, parse_event = CODEC.types, CODEC.event_type, CODEC.parse
