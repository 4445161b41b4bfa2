"""Marking a recipient's contact as having a delivery problem (a bounce or a permanent failure),
and lifting the mark when the member changes that address.

The mark names the account and channel, never the address; the member sees it with their
preferences (the event's row, written by messaging's read model as it is recorded), and the
ContactDeliveryProblemRecorded and ContactDeliveryProblemCleared events tell the audit log.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity_pb
from snp.messaging.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import event_streams
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.adapters.preferences import channels_with_problems
from snp_platform.eventstore import ANY_VERSION, EventMetadata

# Identity's contact detail that each channel delivers to.
CHANNEL_DETAIL = {"email": "email", "sms": "phone"}


def record_contact_problem(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    problem: pb.ContactDeliveryProblemRecorded,
    tenant: str,
) -> None:
    stream = event_streams.recipient_stream(tenant, problem.account_id)
    streams.append(stream, [problem], ANY_VERSION, EventMetadata(actor="service:messaging"), conn)


def clear_changed_addresses(
    streams: MessagingStreams, conn: psycopg.Connection[Any], envelope: EventEnvelope
) -> None:
    """Identity's ContactUpdated: a marked channel whose address changed loses its mark (the
    new address has not failed yet). A change that leaves the address as it was keeps it."""
    updated = identity_pb.ContactUpdated.FromString(envelope.payload)
    changed = set(updated.changed)
    marked = channels_with_problems(conn, updated.account_id)
    cleared = [
        pb.ContactDeliveryProblemCleared(
            account_id=updated.account_id, channel=channel, reason="address_changed"
        )
        for channel in sorted(marked)
        if CHANNEL_DETAIL.get(channel) in changed
    ]
    if not cleared:
        return
    meta = EventMetadata(
        actor="service:messaging",
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
    )
    stream = event_streams.recipient_stream(envelope.tenant, updated.account_id)
    streams.append(stream, cleared, ANY_VERSION, meta, conn)
