"""Membership's streams in the platform event store, as protobuf messages.

Every append is applied to the group tables (GroupProjection) in the same transaction, so the
rows the next decision loads never disagree with the events."""

from __future__ import annotations

from snp_membership.adapters.group_projection import GroupProjection
from snp_membership.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventStore, Stream
from snp_platform.eventstore.typed import TypedStreams

SERVICE = "membership"


def group_stream(tenant: str, group_id: str) -> Stream:
    """One stream per group; its id is the group's id (and the Kafka key)."""
    return Stream(tenant, group_id)


def membership_streams(store: EventStore) -> TypedStreams:
    """Loads and appends membership's events, keeping the group tables in step."""
    return TypedStreams(
        store,
        event_type,
        parse_event,
        SCHEMA_VERSION,
        service=SERVICE,
        read_model=GroupProjection(),
    )
