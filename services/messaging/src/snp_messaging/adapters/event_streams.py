"""Messaging's streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from typing import Any

import psycopg
from google.protobuf.message import Message

from snp_messaging.domain.events import SCHEMA_VERSION, event_type
from snp_platform.eventstore import EventMetadata, EventStore, NewEvent, Stream


def message_stream(tenant: str, message_id: str) -> Stream:
    return Stream(tenant, f"message:{message_id}")


def attachment_stream(tenant: str, attachment_id: str) -> Stream:
    return Stream(tenant, f"attachment:{attachment_id}")


def recipient_stream(tenant: str, account_id: str) -> Stream:
    """A member's preferences and delivery problems (keyed by account, never by address)."""
    return Stream(tenant, f"recipient:{account_id}")


def record(
    store: EventStore,
    conn: psycopg.Connection[Any],
    stream: Stream,
    message: Message,
    expected_version: int,
    metadata: EventMetadata,
) -> int:
    """Append one event inside the caller's transaction; return the stream's new version."""
    new = NewEvent(event_type(message), message.SerializeToString(), schema_version=SCHEMA_VERSION)
    recorded = store.append(stream, [new], expected_version, metadata, conn=conn)
    return recorded[-1].stream_version
