"""Identity's streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from snp_identity.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventStore, Stream
from snp_platform.eventstore.typed import TypedStreams


def tenant_stream(slug: str) -> Stream:
    """A tenant's own stream lives in the tenant it describes."""
    return Stream(slug, f"tenant:{slug}")


def account_stream(tenant: str, account_id: str) -> Stream:
    return Stream(tenant, f"account:{account_id}")


def agency_stream(tenant: str, agency_id: str) -> Stream:
    return Stream(tenant, f"agency:{agency_id}")


class IdentityStreams(TypedStreams):
    """Loads and appends identity's events (typed messages in, typed messages out)."""

    def __init__(self, store: EventStore) -> None:
        super().__init__(store, event_type, parse_event, SCHEMA_VERSION)
