"""Recipients answer a message's poll and rate it; its sender and its team read the results.

Who may do each is the policy's: `messaging.poll.answer` and `messaging.message.rate` for the
message's recipients (the resource says whether the caller is one: an inbox entry of theirs),
`messaging.message.read_feedback` for those who read its delivery status (its sender, its
group's officers, the force's police for a police alert). A message the caller was not sent is
answered as an unknown one when the policy conceals it."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_messaging.adapters import feedback as rows
from snp_messaging.adapters import messages
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import poll_answer_stream, rating_stream
from snp_messaging.domain import feedback as rules
from snp_messaging.service_layer.context import MessagingContext, NotFound
from snp_messaging.service_layer.reading import message_resource
from snp_platform.authz import Refused, authorize
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, ConcurrencyError, EventMetadata
from snp_platform.tokens import Principal


def _sent_message(conn: psycopg.Connection[Any], principal: Principal, message_id: str) -> Any:
    row = messages.find_message(conn, message_id)
    if row is None or row["tenant"] != principal.tenant:
        raise NotFound(message_id)  # another force's message is answered as an unknown one
    return row


def _as_recipient(
    ctx: MessagingContext,
    conn: psycopg.Connection[Any],
    principal: Principal,
    action: str,
    message_id: str,
) -> None:
    """The policy's decision on the caller acting as a recipient of the message."""
    row = _sent_message(conn, principal, message_id)
    sent_to_them = (
        messages.inbox_message(conn, principal.tenant, principal.account_id, message_id) is not None
    )
    resource = {**message_resource(row), "recipient": sent_to_them}
    try:
        authorize(ctx.opa, principal, action, resource)
    except Refused as refused:
        if refused.conceal:
            raise NotFound(message_id) from refused
        raise


def answer_poll(
    ctx: MessagingContext,
    principal: Principal,
    message_id: str,
    choices: list[int],
    metadata: EventMetadata,
) -> list[int]:
    """Record the recipient's one answer (AlreadyAnswered, 409, for a second; PollRuleBroken,
    422, for a bad one: either way nothing is recorded); the choices back."""
    with ctx.pool.connection() as conn:
        _as_recipient(ctx, conn, principal, "messaging.poll.answer", message_id)
        poll = rows.find_poll(conn, message_id)
        before = rows.answer_of(conn, message_id, principal.account_id) is not None
        event = rules.answer(poll, before, message_id, principal.account_id, choices)
        stream = poll_answer_stream(principal.tenant, message_id, principal.account_id)
        try:
            ctx.streams.append(stream, [event], NO_STREAM, metadata, conn)
        except ConcurrencyError as raced:  # two answers at once: the other was first
            raise rules.AlreadyAnswered("you answered this poll already") from raced
    return list(event.choices)


def rate(
    ctx: MessagingContext,
    principal: Principal,
    message_id: str,
    useful: bool,
    comment: str,
    metadata: EventMetadata,
) -> dict[str, Any]:
    """Record the recipient's rating, replacing any earlier one (each is an event)."""
    with ctx.pool.connection() as conn:
        _as_recipient(ctx, conn, principal, "messaging.message.rate", message_id)
        event = rules.rated(message_id, principal.account_id, useful, comment)
        stream = rating_stream(principal.tenant, message_id, principal.account_id)
        ctx.streams.append(stream, [event], ANY_VERSION, metadata, conn)
    return {"useful": event.useful, "comment": event.comment}


def results(ctx: MessagingContext, principal: Principal, message_id: str) -> dict[str, Any]:
    """The message's ratings (counts, and comments with nobody's name) and its poll's counts."""
    with ctx.pool.connection() as conn:
        row = _sent_message(conn, principal, message_id)
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
        authorize(
            ctx.opa, principal, "messaging.message.read_feedback", message_resource(row), roles
        )
        return {
            "id": message_id,
            "subject": row["subject"],
            "recipients": row["recipients"],
            "ratings": rows.rating_results(conn, message_id),
            "poll": rows.poll_results(conn, message_id),
        }
