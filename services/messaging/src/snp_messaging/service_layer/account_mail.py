"""Mail about the account itself: identity's PasswordResetRequested becomes a reset link (or,
with purpose "set_up", a new staff account's set-up link, in other words and to another page),
emailed to the account's own address whatever its channel preferences (it was asked for), with
no inbox entry; an authenticator reset two administrators approved is told the same way. It
goes through the usual deliveries (retries, receipts, the directory asked for the address at
send time), so it is recorded as a MessageSent like any message.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity
from snp.messaging.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import dispatch_signal, event_streams, fan_out, messages
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.messages import AudienceType, MessageType, Priority
from snp_platform.eventstore import NO_STREAM, EventMetadata

RESET_LINK = "{base}/reset-password/{token}"
SET_UP_LINK = "{base}/set-up/{token}"
SIGN_IN_LINK = "{base}/sign-in"
SET_UP = "set_up"
PLATFORM = "Safer Neighbourhoods Platform"


def reset_mail_body(link: str, force: str, expires_at: datetime) -> str:
    """Plain text that reads well as it is: short lines, the link alone on its line."""
    until = expires_at.strftime("%H:%M UTC on %-d %B %Y")
    return "\n".join(
        [
            f"Someone asked to reset the password of your {PLATFORM}",
            f"account with {force or 'your police force'}.",
            "",
            "If it was you, open this link to choose a new password:",
            "",
            link,
            "",
            f"The link works once, until {until}.",
            "",
            "If you did not ask for this, ignore this email: your password has not",
            "changed. Nobody from the platform or the police will ever ask you for",
            "your password.",
        ]
    )


def set_up_mail_body(link: str, force: str, expires_at: datetime) -> str:
    """The first mail a new staff member gets: what it is, the link, and what comes next."""
    until = expires_at.strftime("%H:%M UTC on %-d %B %Y")
    return "\n".join(
        [
            f"An administrator of {force or 'your police force'} has made you a staff",
            f"account on the {PLATFORM}.",
            "",
            "Open this link to choose your password:",
            "",
            link,
            "",
            f"The link works once, until {until}. Then sign in and set up an",
            "authenticator app on your phone: staff pages need its codes.",
            "",
            "If you did not expect this, ignore this email and tell your force.",
            "Nobody from the platform or the police will ever ask you for your",
            "password.",
        ]
    )


def authenticator_reset_mail_body(force: str, at: datetime, sign_in: str) -> str:
    """What happened, when, what comes next, and who to tell if it was not expected. No
    secret and no link to act on: nothing in it is worth stealing."""
    when = at.strftime("%H:%M UTC on %-d %B %Y")
    force = force or "your police force"
    return "\n".join(
        [
            f"Two administrators of {force} reset the authenticator app of your",
            f"staff account on the {PLATFORM} at {when}.",
            "",
            "Your old authenticator app and every recovery code no longer work, and",
            "you have been signed out everywhere. The next time you sign in with",
            "your password you will set up an authenticator app again and get new",
            "recovery codes:",
            "",
            sign_in,
            "",
            "If you did not ask your force for this, tell your force's administrators",
            "at once, by phone or in person rather than by replying to this email:",
            "someone may be trying to take over your account.",
        ]
    )


def mail_password_reset(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    envelope: EventEnvelope,
    portal_base_url: str,
) -> str:
    """Record the reset or set-up mail (one email delivery) in the caller's transaction; its
    message id."""
    requested = identity.PasswordResetRequested.FromString(envelope.payload)
    force = projection.force_name(conn, envelope.tenant)
    set_up = requested.purpose == SET_UP
    page = SET_UP_LINK if set_up else RESET_LINK
    link = page.format(base=portal_base_url.rstrip("/"), token=requested.token)
    expires_at = datetime.fromtimestamp(requested.expires_at, UTC)
    body = (set_up_mail_body if set_up else reset_mail_body)(link, force, expires_at)
    subject = "Set up your staff account" if set_up else "Reset your password"
    return _record_account_mail(
        streams, conn, envelope, requested.account_id, force, subject, body, link
    )


def mail_authenticator_reset(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    envelope: EventEnvelope,
    portal_base_url: str,
) -> str:
    """Tell the account its authenticator was reset (identity's AuthenticatorResetApproved)."""
    approved = identity.AuthenticatorResetApproved.FromString(envelope.payload)
    force = projection.force_name(conn, envelope.tenant)
    sign_in = SIGN_IN_LINK.format(base=portal_base_url.rstrip("/"))
    at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
    body = authenticator_reset_mail_body(force, at, sign_in)
    return _record_account_mail(
        streams,
        conn,
        envelope,
        approved.account_id,
        force,
        "Your authenticator app was reset",
        body,
        sign_in,
    )


def _record_account_mail(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    envelope: EventEnvelope,
    account_id: str,
    force: str,
    subject: str,
    body: str,
    link: str,
) -> str:
    message_id = str(uuid.uuid4())
    sent = pb.MessageSent(
        message_id=message_id,
        sender=pb.Sender(account_id="", role=PLATFORM, force=force),
        audience=pb.Audience(type=AudienceType.ACCOUNT.value, id=account_id),
        subject=subject,
        body=body,
        message_type=MessageType.ACCOUNT.value,
        priority=Priority.NORMAL.value,
        recipients=1,
        deliveries=1,
        link=link,
    )
    messages.record_sent(conn, envelope.tenant, sent)
    fan_out.record_deliveries(conn, envelope.tenant, message_id, [(account_id, "email")])
    metadata = EventMetadata(
        actor="service:messaging",
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
        traceparent=envelope.trace_context.traceparent,
    )
    stream = event_streams.message_stream(envelope.tenant, message_id)
    streams.append(stream, [sent], NO_STREAM, metadata, conn)
    dispatch_signal.wake_dispatchers(conn)
    return message_id
