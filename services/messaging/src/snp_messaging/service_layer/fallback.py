"""The fallback channel (domain/fallback.py), in the transaction that records an email's final
failure: at send (the worker), by a late bounce (the bounce mailbox) or by a Notify receipt.
It records the text message's delivery (the dispatcher sends it like any other; the worker asks
identity for the phone number then, with the message as its purpose), an inbox notice that the
email failed, and a DeliveryFellBack. The unique delivery per message, account and channel
makes it once however often the failure is reported."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import deliveries, dispatch_signal, event_streams, fan_out, messages
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain import fallback
from snp_messaging.domain.messages import AudienceType, MessageType, Priority
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata

PLATFORM = "Safer Neighbourhoods Platform"


def fall_back(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    *,
    tenant: str,
    account_id: str,
    message_id: str,
    failed_delivery_id: str,
    channel: str,
    outcome: str,
) -> str | None:
    """Send the message by text instead of the failed delivery, if the domain says so; the
    text's delivery id, or None (not urgent, not an email, or the member has a text already)."""
    priority, subject = deliveries.priority_and_subject(conn, message_id)
    if not fallback.falls_back(priority, channel, outcome):
        return None
    sms_id = deliveries.record_fallback(
        conn, tenant, message_id, account_id, fallback.FALLBACK_CHANNEL, failed_delivery_id
    )
    if sms_id is None:
        return None
    notice_id = _record_notice(conn, streams, tenant, account_id, subject, outcome)
    fell_back = pb.DeliveryFellBack(
        account_id=account_id,
        message_id=message_id,
        email_delivery_id=failed_delivery_id,
        sms_delivery_id=sms_id,
        outcome=outcome,
        notice_id=notice_id,
    )
    stream = event_streams.recipient_stream(tenant, account_id)
    streams.append(stream, [fell_back], ANY_VERSION, _METADATA, conn)
    dispatch_signal.wake_dispatchers(conn)
    return sms_id


_METADATA = EventMetadata(actor="service:messaging")


def _record_notice(
    conn: psycopg.Connection[Any],
    streams: MessagingStreams,
    tenant: str,
    account_id: str,
    subject: str,
    outcome: str,
) -> str:
    """An inbox entry, not a mail (the mail is what failed): the text says it too."""
    notice_id = str(uuid.uuid4())
    sent = pb.MessageSent(
        message_id=notice_id,
        sender=pb.Sender(account_id="", role=PLATFORM, force=projection.force_name(conn, tenant)),
        audience=pb.Audience(type=AudienceType.ACCOUNT.value, id=account_id),
        subject=fallback.NOTICE_SUBJECT,
        body=fallback.inbox_notice(subject, outcome),
        message_type=MessageType.ACCOUNT.value,
        priority=Priority.NORMAL.value,
        recipients=1,
        deliveries=0,
    )
    messages.record_sent(conn, tenant, sent)
    fan_out.record_inbox(conn, tenant, notice_id, [account_id])
    stream = event_streams.message_stream(tenant, notice_id)
    streams.append(stream, [sent], NO_STREAM, _METADATA, conn)
    return notice_id
