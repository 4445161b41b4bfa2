"""Identity's streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from snp_identity.adapters.disclosures import DisclosuresProjection
from snp_identity.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventStore, Stream
from snp_platform.eventstore.typed import TypedStreams

SERVICE = "identity"


def tenant_stream(slug: str) -> Stream:
    """A tenant's own stream lives in the tenant it describes."""
    return Stream(slug, f"tenant:{slug}")


def account_stream(tenant: str, account_id: str) -> Stream:
    return Stream(tenant, f"account:{account_id}")


def agency_stream(tenant: str, agency_id: str) -> Stream:
    return Stream(tenant, f"agency:{agency_id}")


class IdentityStreams(TypedStreams):
    """Loads and appends identity's events (typed messages in, typed messages out). Over the
    database (the service's own context) each append also applies to the disclosures
    projection in its transaction; a memory store in unit tests has none."""

    def __init__(self, store: EventStore, *, disclosures: bool = False) -> None:
        super().__init__(
            store,
            event_type,
            parse_event,
            SCHEMA_VERSION,
            service=SERVICE,
            read_model=DisclosuresProjection() if disclosures else None,
        )
