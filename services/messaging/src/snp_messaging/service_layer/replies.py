"""A recipient replies to a message they were sent, to the message's reply team.

Who may is the policy's `messaging.reply.create`: a recipient (the resource says whether the
caller is one), anonymously only on a message that takes anonymous replies. An anonymous reply
is decided, recorded and answered without the caller's account: the policy is asked with a
subject that has no id (so OPA's decision log holds none), the event names no account, its
actor is `anonymous` and its correlation id a fresh one (not the request's), and the rows hold
only its reference. Nothing in messaging links it to the account that sent it."""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from typing import Any

import psycopg

from snp_messaging.adapters import messages
from snp_messaging.adapters import replies as rows
from snp_messaging.adapters.event_streams import reply_thread_stream
from snp_messaging.domain import replies as rules
from snp_messaging.service_layer.context import MessagingContext, NotFound
from snp_messaging.service_layer.reading import message_resource
from snp_platform.authz import Refused, authorize
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

CREATE = "messaging.reply.create"


@dataclasses.dataclass(frozen=True)
class ReplyAsked:
    """What the recipient wrote, what they share, and whether it is anonymous."""

    text: str
    share: rules.ShareContact
    anonymous: bool = False


def _authorize_reply(
    ctx: MessagingContext,
    conn: psycopg.Connection[Any],
    principal: Principal,
    message_id: str,
    anonymous: bool,
) -> None:
    row = messages.find_message(conn, message_id)
    if row is None or row["tenant"] != principal.tenant:
        raise NotFound(message_id)  # another force's message is answered as an unknown one
    sent_to_them = (
        messages.inbox_message(conn, principal.tenant, principal.account_id, message_id) is not None
    )
    resource = {
        **message_resource(row),
        "recipient": sent_to_them,
        "anonymous": anonymous,
        "anonymous_replies": rows.anonymous_replies(conn, message_id),
    }
    # An anonymous reply's decision is asked, and logged by OPA, without the account's id.
    asking = dataclasses.replace(principal, account_id="", jti="") if anonymous else principal
    try:
        authorize(ctx.opa, asking, CREATE, resource)
    except Refused as refused:
        if refused.conceal:
            raise NotFound(message_id) from refused
        raise


def post_reply(
    ctx: MessagingContext,
    principal: Principal,
    message_id: str,
    asked: ReplyAsked,
    metadata: EventMetadata,
) -> dict[str, Any]:
    """Record the reply in the member's thread (a new one for their first reply, and for every
    anonymous one); `{thread_id, reply_id, reference}` back (reference: anonymous only)."""
    with ctx.pool.connection() as conn, conn.transaction():
        return record_reply(ctx, conn, principal, message_id, asked, metadata)


def record_reply(
    ctx: MessagingContext,
    conn: psycopg.Connection[Any],
    principal: Principal,
    message_id: str,
    asked: ReplyAsked,
    metadata: EventMetadata,
) -> dict[str, Any]:
    """post_reply's work in the caller's transaction (a mailed reply records its mail's
    Message-ID in the same one)."""
    reply_id = str(uuid.uuid4())
    _authorize_reply(ctx, conn, principal, message_id, asked.anonymous)
    if asked.anonymous:
        reference = rules.reference_of(secrets.token_bytes(rules.REFERENCE_LENGTH))
        thread_id, version = str(uuid.uuid4()), NO_STREAM
        event = rules.reply(
            thread_id,
            message_id,
            reply_id,
            "",
            asked.text,
            asked.share,
            anonymous=True,
            reference=reference,
        )
        metadata = EventMetadata(actor=rules.ANONYMOUS, correlation_id=uuid.uuid4().hex)
    else:
        reference = ""
        thread = rows.member_thread(conn, message_id, principal.account_id)
        thread_id = thread.thread_id if thread else str(uuid.uuid4())
        version = ANY_VERSION if thread else NO_STREAM
        event = rules.reply(
            thread_id, message_id, reply_id, principal.account_id, asked.text, asked.share
        )
    stream = reply_thread_stream(principal.tenant, thread_id)
    ctx.streams.append(stream, [event], version, metadata, conn)
    return {"thread_id": thread_id, "reply_id": reply_id, "reference": reference or None}
