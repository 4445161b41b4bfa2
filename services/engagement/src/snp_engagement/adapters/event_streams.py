"""Engagement's streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from snp_engagement.adapters.read_models import EngagementTables
from snp_engagement.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventStore, Stream
from snp_platform.eventstore.typed import TypedStreams


def plan_stream(tenant: str, group_id: str, period: str) -> Stream:
    return Stream(tenant, f"plan:{group_id}:{period}")


def ballot_stream(tenant: str, group_id: str, period: str) -> Stream:
    return Stream(tenant, f"ballot:{group_id}:{period}")


def vote_stream(tenant: str, group_id: str, period: str, voter: str) -> Stream:
    """One member's vote for one period: its own stream, so votes never contend."""
    return Stream(tenant, f"vote:{group_id}:{period}:{voter}")


def action_stream(tenant: str, action_id: str) -> Stream:
    return Stream(tenant, f"action:{action_id}")


class EngagementStreams(TypedStreams):
    """Loads and appends engagement's events; each also changes engagement's tables, in the
    transaction of its append."""

    def __init__(self, store: EventStore) -> None:
        super().__init__(
            store,
            event_type,
            parse_event,
            SCHEMA_VERSION,
            service="engagement",
            read_model=EngagementTables(),
        )
