"""Documents' streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from snp_documents.adapters.read_models import MailingListTables
from snp_documents.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventStore, Stream
from snp_platform.eventstore.typed import TypedStreams


def document_stream(tenant: str, document_id: str) -> Stream:
    return Stream(tenant, f"document:{document_id}")


def mailing_list_stream(tenant: str, mailing_list_id: str) -> Stream:
    return Stream(tenant, f"mailing-list:{mailing_list_id}")


def group_key_stream(tenant: str, group_id: str) -> Stream:
    return Stream(tenant, f"group-key:{group_id}")


class DocumentStreams(TypedStreams):
    """Loads and appends documents' events (typed messages in, typed messages out); a list's
    events also change the mailing-list tables, in the transaction of their append."""

    def __init__(self, store: EventStore) -> None:
        super().__init__(
            store,
            event_type,
            parse_event,
            SCHEMA_VERSION,
            service="documents",
            read_model=MailingListTables(),
        )
