"""Forwarded documents: documents' DocumentForwarded becomes a notification to the list.

The document's title is sealed under the group's key, which only documents can open, so the
notification names the group and links to the document; following the link needs sign-in and
the policy's leave to read it. Contents never come here.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.documents.v1 import events_pb2 as documents
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.messages import Audience, AudienceType, Draft, MessageType, Priority
from snp_messaging.domain.messages import Sender as MessageSender
from snp_messaging.service_layer.sending import record_in
from snp_platform.eventstore import EventMetadata

# The portal's document page: it signs the reader in, then downloads (the policy permitting).
DOCUMENT_LINK = "{base}/documents/{document_id}"


def notify_forwarded(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    envelope: EventEnvelope,
    portal_base_url: str,
) -> str | None:
    """Record the notification (its deliveries follow as for any message); its id."""
    forwarded = documents.DocumentForwarded.FromString(envelope.payload)
    recipients = [a for a in dict.fromkeys(forwarded.recipient_account_ids) if a]
    if not recipients:
        return None
    group = projection.find_group(conn, forwarded.group_id)
    group_name = group.name if group and group.name else "your group"
    sender = MessageSender(
        forwarded.forwarded_by,
        f"officer of {group_name}",
        projection.force_name(conn, envelope.tenant),
        "member",  # officers forward, and only member accounts hold offices
    )
    link = DOCUMENT_LINK.format(base=portal_base_url.rstrip("/"), document_id=forwarded.document_id)
    draft = Draft(
        subject=f"A document from {group_name}",
        body=(
            f"The officers of {group_name} have shared a document with you. "
            "Sign in to the Safer Neighbourhoods Platform to read it."
        ),
        message_type=MessageType.DOCUMENT,
        priority=Priority.NORMAL,
        audience=Audience(AudienceType.MAILING_LIST, forwarded.mailing_list_id),
    )
    metadata = EventMetadata(
        actor="service:messaging",
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
        traceparent=envelope.trace_context.traceparent,
    )
    audience = Audience(AudienceType.MAILING_LIST, forwarded.mailing_list_id, forwarded.group_id)
    message_id, _count = record_in(
        streams,
        conn,
        envelope.tenant,
        sender,
        draft,
        audience,
        metadata,
        link=link,
        recipient_ids=recipients,
    )
    return message_id
