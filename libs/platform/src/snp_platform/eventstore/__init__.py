"""An append-only PostgreSQL event store whose tail never skips a late commit."""

from snp_platform.eventstore.model import (
    ConcurrencyError,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    Stream,
)
from snp_platform.eventstore.schema import create_platform_schema
from snp_platform.eventstore.store import ANY_VERSION, NO_STREAM, EventStore

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "ConcurrencyError",
    "EventMetadata",
    "EventStore",
    "NewEvent",
    "RecordedEvent",
    "Stream",
    "create_platform_schema",
]
