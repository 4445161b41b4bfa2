"""Police alerts that wait for a second officer: sending or holding, the waiting list, and
each step of a held alert (approve, reject, edit, withdraw), each an event on its stream.

A held alert's stream is the `message:<id>` its MessageSent will be on: the approval and the
send are one append at the version the decision saw, so two approvals racing send it once."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import event_streams, held_alerts, message_attachments
from snp_messaging.domain import approvals as rules
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    MessageType,
    Priority,
    Sender,
)
from snp_messaging.domain.providers import Provider
from snp_messaging.service_layer.context import InvalidInput, MessagingContext, NotFound
from snp_messaging.service_layer.reading import names_of
from snp_messaging.service_layer.sending import (
    HeldSend,
    Ready,
    claim_attachments,
    poll_of,
    ready_to_send,
    record_in,
)
from snp_platform.authz import authorize, subject_of
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata
from snp_platform.tokens import Principal


def send_or_hold(
    ctx: MessagingContext, principal: Principal, draft: Draft, metadata: EventMetadata
) -> dict[str, Any]:
    """Send the message now, or (the force's rule) hold it for a second officer: then it is
    recorded as waiting and nothing is queued. `status` says which."""
    ready = ready_to_send(ctx, principal, draft)
    with ctx.pool.connection() as conn:
        rule = held_alerts.approval_rule(conn, principal.tenant)
        if not rules.needs_second_officer(
            rule, ready.sender.kind, ready.audience.type, ready.draft.priority
        ):
            with conn.transaction():
                message_id, recipients = record_in(
                    ctx.streams,
                    conn,
                    principal.tenant,
                    ready.sender,
                    ready.draft,
                    ready.audience,
                    metadata,
                    provider=ready.provider,
                )
            return {"id": message_id, "recipients": recipients, "status": "sent"}
    alert_id = str(uuid.uuid4())
    stream = event_streams.message_stream(principal.tenant, alert_id)
    with ctx.pool.connection() as conn, conn.transaction():
        # Its attachments are claimed now, so an approval never fails on a missing one.
        claim_attachments(conn, principal.tenant, principal.account_id, alert_id, ready.draft)
        held = [_held(alert_id, ready), *poll_of(alert_id, ready.draft)]
        ctx.streams.append(stream, held, NO_STREAM, metadata, conn)
    return {"id": alert_id, "recipients": 0, "status": rules.AlertState.WAITING.value}


def _held(alert_id: str, ready: Ready) -> pb.AlertHeld:
    sender, draft, provider = ready.sender, ready.draft, ready.provider
    return pb.AlertHeld(
        alert_id=alert_id,
        sender=pb.Sender(
            account_id=sender.account_id,
            role=sender.role,
            force=sender.force,
            kind=sender.kind,
            agency_id=sender.agency_id,
        ),
        audience=pb.Audience(
            type=ready.audience.type.value, id=ready.audience.id, group_id=ready.audience.group_id
        ),
        subject=draft.subject,
        body=draft.body,
        message_type=draft.message_type.value,
        priority=draft.priority.value,
        provider=pb.Provider(id=provider.id, name=provider.name, kind=provider.kind)
        if provider
        else None,
        attachment_ids=list(draft.attachment_ids),
    )


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "held_alert",
        "id": row["id"],
        "tenant": row["tenant"],
        "owner": row["sender_id"],
        "sender_kind": row["sender_kind"],
    }


def _shown(row: dict[str, Any], names: dict[str, str], decidable: bool) -> dict[str, Any]:
    return {
        "id": row["id"],
        "subject": row["subject"],
        "body": row["body"],
        "type": row["message_type"],
        "priority": row["priority"],
        "sender": {
            "id": row["sender_id"],
            "name": names.get(row["sender_id"]),
            "role": row["sender_role"],
        },
        "audience": {"type": row["audience_type"], "id": row["audience_id"]},
        "status": row["status"],
        "decided_by": row["decided_by"] or None,
        "reason": row["reason"],
        "held_at": row["created_at"].isoformat(),
        "decidable": decidable,  # the caller may approve or reject it (not their own)
    }


def waiting_alerts(ctx: MessagingContext, principal: Principal, limit: int) -> list[dict[str, Any]]:
    """The force's alerts waiting for a second officer, oldest first, each saying whether the
    caller may decide it (the policy, in one batch)."""
    resource = {"type": "alerts", "id": principal.tenant, "tenant": principal.tenant}
    authorize(ctx.opa, principal, "messaging.alerts.list", resource)
    with ctx.pool.connection() as conn:
        rows = held_alerts.waiting(conn, principal.tenant, limit)
    decidable = ctx.opa.allowed_ids(
        subject_of(principal), "messaging.alert.decide", [_resource(r) for r in rows]
    )
    names = names_of(ctx, principal.tenant, [r["sender_id"] for r in rows])
    return [_shown(r, names, r["id"] in decidable) for r in rows]


def held_alert(ctx: MessagingContext, principal: Principal, alert_id: str) -> dict[str, Any]:
    """One of the force's held alerts, whatever became of it (NotFound in another force)."""
    row = _find(ctx, principal, alert_id)
    authorize(ctx.opa, principal, "messaging.alerts.list", _tenant_alerts(principal))
    decidable = ctx.opa.decide(subject_of(principal), "messaging.alert.decide", _resource(row))
    names = names_of(ctx, principal.tenant, [row["sender_id"]])
    return _shown(row, names, decidable.allow)


def _tenant_alerts(principal: Principal) -> dict[str, Any]:
    return {"type": "alerts", "id": principal.tenant, "tenant": principal.tenant}


def _find(ctx: MessagingContext, principal: Principal, alert_id: str) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        row = held_alerts.find(conn, alert_id)
    if row is None or row["tenant"] != principal.tenant:
        raise NotFound(alert_id)  # another force's alert is answered as an unknown one
    return row


def _draft(row: dict[str, Any]) -> Draft:
    audience = Audience(AudienceType(row["audience_type"]), row["audience_id"], row["group_id"])
    return Draft(
        row["subject"],
        row["body"],
        MessageType(row["message_type"]),
        Priority(row["priority"]),
        audience,
        tuple(row["attachment_ids"]),
    )


def _sender(row: dict[str, Any]) -> Sender:
    return Sender(
        row["sender_id"],
        row["sender_role"],
        row["sender_force"],
        row["sender_kind"],
        row["sender_agency"],
    )


def _provider(row: dict[str, Any]) -> Provider | None:
    if not row["provider_id"]:
        return None
    return Provider(row["provider_id"], row["provider_name"], row["provider_kind"])


def _alert(ctx: MessagingContext, tenant: str, alert_id: str) -> tuple[rules.HeldAlert, int]:
    events, version = ctx.streams.load(event_streams.message_stream(tenant, alert_id))
    return rules.fold(alert_id, events), version


def _allowed(
    ctx: MessagingContext, principal: Principal, alert_id: str, action: str
) -> dict[str, Any]:
    """The force's held alert, once the policy allows the caller `action` on it."""
    row = _find(ctx, principal, alert_id)
    authorize(ctx.opa, principal, action, _resource(row))
    return row


def approve(
    ctx: MessagingContext,
    principal: Principal,
    alert_id: str,
    reason: str,
    metadata: EventMetadata,
) -> dict[str, Any]:
    """A second officer approves: the approval and the alert's MessageSent (recipients as they
    are now) are one append; 409 if it was decided already, 403 for the sender themself."""
    row = _allowed(ctx, principal, alert_id, "messaging.alert.decide")
    with ctx.pool.connection() as conn, conn.transaction():
        # One approval at a time: a second waits here, then finds the alert decided (409).
        held_alerts.lock(conn, alert_id)
        alert, version = _alert(ctx, principal.tenant, alert_id)
        with _checked():
            approved = rules.approve(alert, principal.account_id, reason)
        _, recipients = record_in(
            ctx.streams,
            conn,
            principal.tenant,
            _sender(row),
            _draft(row),
            _draft(row).audience,
            metadata,
            provider=_provider(row),
            held=HeldSend(alert_id, version, (approved,)),
        )
    return {"id": alert_id, "status": "approved", "recipients": recipients}


@dataclass(frozen=True)
class Ending:
    """How a waiting alert ends unsent: who may end it (the policy's action) and the domain's
    decision, which records who did and why."""

    action: str
    decide: Callable[[rules.HeldAlert, str, str], Message]


REJECTION = Ending("messaging.alert.decide", rules.reject)  # a second officer, with a reason
WITHDRAWAL = Ending("messaging.alert.amend", rules.withdraw_waiting)  # its sender takes it back


def end_unsent(
    ctx: MessagingContext,
    principal: Principal,
    alert_id: str,
    reason: str,
    metadata: EventMetadata,
    ending: Ending,
) -> dict[str, Any]:
    """Reject or withdraw the waiting alert (`ending`): it never reaches anyone, and the
    attachments it claimed when it was held are its uploader's to use again."""
    _allowed(ctx, principal, alert_id, ending.action)
    alert, version = _alert(ctx, principal.tenant, alert_id)
    with _checked():
        ended = ending.decide(alert, principal.account_id, reason)
    stream = event_streams.message_stream(principal.tenant, alert_id)
    with ctx.pool.connection() as conn, conn.transaction():
        ctx.streams.append(stream, [ended], version, metadata, conn)
        message_attachments.release(conn, principal.tenant, alert_id)
    return held_alert(ctx, principal, alert_id)


def reject(
    ctx: MessagingContext,
    principal: Principal,
    alert_id: str,
    reason: str,
    metadata: EventMetadata,
) -> dict[str, Any]:
    """A second officer refuses the alert, saying why: it never reaches anyone."""
    return end_unsent(ctx, principal, alert_id, reason, metadata, REJECTION)


def withdraw(
    ctx: MessagingContext,
    principal: Principal,
    alert_id: str,
    reason: str,
    metadata: EventMetadata,
) -> dict[str, Any]:
    """The sender takes back their waiting alert: it never reaches anyone."""
    return end_unsent(ctx, principal, alert_id, reason, metadata, WITHDRAWAL)


def edit(
    ctx: MessagingContext,
    principal: Principal,
    alert_id: str,
    wording: tuple[str, str, MessageType, Priority],
    metadata: EventMetadata,
) -> dict[str, Any]:
    """The sender rewords their waiting alert (`wording`: subject, body, type, priority); its
    audience stays what is to be approved."""
    row = _allowed(ctx, principal, alert_id, "messaging.alert.amend")
    alert, version = _alert(ctx, principal.tenant, alert_id)
    subject, body, message_type, priority = wording
    kept = _draft(row)
    draft = Draft(subject, body, message_type, priority, kept.audience, kept.attachment_ids)
    with _checked():
        edited = rules.edit(alert, draft)
    stream = event_streams.message_stream(principal.tenant, alert_id)
    ctx.streams.append(stream, [edited], version, metadata)
    return held_alert(ctx, principal, alert_id)


@contextmanager
def _checked() -> Iterator[None]:
    """Bad words are the caller's to fix (422); a state that does not allow the step stays an
    AlertStateConflict (409, the app's table)."""
    try:
        yield
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken


def approval_rule(ctx: MessagingContext, principal: Principal) -> dict[str, Any]:
    """Whether the force's alerts to the whole force, and its urgent ones, wait for a second
    officer."""
    authorize(ctx.opa, principal, "messaging.alert_rules.manage", _rule_resource(principal))
    with ctx.pool.connection() as conn:
        return rule_shown(held_alerts.approval_rule(conn, principal.tenant))


def set_approval_rule(
    ctx: MessagingContext,
    principal: Principal,
    choice: tuple[bool | None, bool | None],
    metadata: EventMetadata,
) -> dict[str, Any]:
    """Set either or both of the force's settings (`choice`: force-wide, urgent; None keeps
    it as it is); an event only if the rule changes."""
    authorize(ctx.opa, principal, "messaging.alert_rules.manage", _rule_resource(principal))
    force_wide, urgent = choice
    with ctx.pool.connection() as conn, conn.transaction():
        now = held_alerts.approval_rule(conn, principal.tenant)
        rule = rules.ApprovalRule(
            now.force_wide if force_wide is None else force_wide,
            now.urgent if urgent is None else urgent,
        )
        if rule != now:
            stream = event_streams.alert_rules_stream(principal.tenant)
            event = rules.rule_changed(rule)
            ctx.streams.append(stream, [event], ANY_VERSION, metadata, conn)
    return rule_shown(rule)


def rule_shown(rule: rules.ApprovalRule) -> dict[str, Any]:
    """The rule as the API answers it; `approval_required` (either waits) for older clients."""
    return {
        "approval_required": rule.force_wide or rule.urgent,
        "force_wide": rule.force_wide,
        "urgent": rule.urgent,
    }


def _rule_resource(principal: Principal) -> dict[str, Any]:
    return {"type": "alert_rules", "id": principal.tenant, "tenant": principal.tenant}
