"""Correcting or withdrawing a sent alert: a follow-up message to exactly the original's
recipients (a copy of its inbox entries and deliveries, not a new fan-out: whoever joined the
audience since was never told the first thing, so is not told it changed), marked as what it
is, and a MessageFollowedUp on the original's stream, so the original shows it."""

from __future__ import annotations

import uuid
from typing import Any

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import consent_rows, dispatch_signal, event_streams, fan_out, messages
from snp_messaging.domain import approvals as rules
from snp_messaging.domain.approvals import FollowUpKind
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    MessageType,
    Priority,
    Sender,
    check_draft,
)
from snp_messaging.domain.providers import Provider
from snp_messaging.service_layer.context import InvalidInput, MessagingContext, NotFound
from snp_messaging.service_layer.sending import sent_event
from snp_platform.authz import authorize
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

# How a follow-up's subject begins when its sender gives none.
_PREFIX = {FollowUpKind.CORRECTION: "Correction", FollowUpKind.WITHDRAWAL: "Withdrawn"}


def follow_up(
    ctx: MessagingContext,
    principal: Principal,
    message_id: str,
    kind: FollowUpKind,
    wording: tuple[str, str, str],
    metadata: EventMetadata,
) -> dict[str, Any]:
    """Send the correction or withdrawal (`wording`: subject, blank for the original's with
    the kind before it; body; reason) of the caller's own sent alert; its id and reach."""
    subject, body, reason = wording
    with ctx.pool.connection() as conn:
        original = messages.find_message(conn, message_id)
    if original is None or original["tenant"] != principal.tenant:
        raise NotFound(message_id)
    authorize(ctx.opa, principal, "messaging.alert.amend", _resource(original))
    if original["follow_up_of"]:
        raise rules.AlertStateConflict("follow up the original message, not a follow-up")
    draft = _draft(original, subject or f"{_PREFIX[kind]}: {original['subject']}", body)
    try:
        reason = rules.check_reason(reason, required=False)
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken
    follow_up_id = str(uuid.uuid4())
    tenant = principal.tenant
    with ctx.pool.connection() as conn, conn.transaction():
        messages.lock_message(conn, message_id)  # one follow-up decided at a time
        original_stream = event_streams.message_stream(tenant, message_id)
        events, version = ctx.streams.load(original_stream)
        rules.check_follow_up(rules.fold(message_id, events))
        recipients, _ = fan_out.recipient_counts(conn, message_id)
        sent = sent_event(
            follow_up_id,
            _sender(original),
            draft,
            draft.audience,
            _provider(conn, tenant, original),
            recipients,
            0,  # known once the rows are copied, before the event is appended
        )
        sent.follows_up.CopyFrom(pb.FollowUp(message_id=message_id, kind=kind.value))
        messages.record_sent(conn, tenant, sent)  # first: the copied rows refer to it
        _, sent.deliveries = fan_out.copy_recipients(conn, message_id, follow_up_id)
        stream = event_streams.message_stream(tenant, follow_up_id)
        ctx.streams.append(stream, [sent], NO_STREAM, metadata, conn)
        followed = pb.MessageFollowedUp(
            message_id=message_id, follow_up_id=follow_up_id, kind=kind.value, reason=reason
        )
        ctx.streams.append(original_stream, [followed], version, metadata, conn)
        dispatch_signal.wake_dispatchers(conn)
    return {
        "id": follow_up_id,
        "follows_up": message_id,
        "kind": kind.value,
        "recipients": recipients,
    }


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "id": row["id"],
        "tenant": row["tenant"],
        "owner": row["sender_id"],
        "sender_kind": row["sender_kind"],
    }


def _draft(original: dict[str, Any], subject: str, body: str) -> Draft:
    """The follow-up's words, checked, for the original's audience, type and priority."""
    audience = Audience(
        AudienceType(original["audience_type"]), original["audience_id"], original["group_id"]
    )
    try:
        return check_draft(
            Draft(
                subject,
                body,
                MessageType(original["message_type"]),
                Priority(original["priority"]),
                audience,
            )
        )
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken


def _sender(row: dict[str, Any]) -> Sender:
    return Sender(
        row["sender_id"],
        row["sender_role"],
        row["sender_force"],
        row["sender_kind"],
        row["sender_agency"],
    )


def _provider(conn: Any, tenant: str, row: dict[str, Any]) -> Provider | None:
    """The original's provider: a follow-up is from whoever the original was from."""
    if not row["provider_id"]:
        return None
    known = consent_rows.force_providers(conn, tenant).get(row["provider_id"])
    return known or Provider(row["provider_id"], row["provider_name"], "")
