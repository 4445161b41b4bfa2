"""Sending a message: authorize against the audience, resolve recipients, record deliveries.

Everything a send decides is committed in one transaction: the MessageSent event, the message,
every recipient's inbox entry and every delivery (status `pending`). The dispatcher then puts
the deliveries on the delivery topic; nothing is sent from here, so a crash loses nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import consent_rows as consent
from snp_messaging.adapters import (
    dispatch_signal,
    event_streams,
    fan_out,
    message_attachments,
    messages,
)
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.adapters.mailing_lists import find_mailing_list
from snp_messaging.domain import feedback
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    Sender,
    check_draft,
    sender_role,
)
from snp_messaging.domain.providers import NEIGHBOURHOOD_WATCH, POLICE, Provider, default_on
from snp_messaging.domain.reach import Reach, reach
from snp_messaging.domain.replies import anonymous_allowed, check_anonymous_replies
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_platform.authz import authorize
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal


def audience_resource(
    ctx: MessagingContext, principal: Principal, audience: Audience
) -> dict[str, Any]:
    """The policy's resource for `messaging.message.send`: the audience, from the projections.
    An audience unknown in the caller's tenant is refused before the policy is asked."""
    tenant = principal.tenant
    with ctx.pool.connection() as conn:
        if audience.type is AudienceType.GROUP:
            group = projection.find_group(conn, audience.id)
            if group is None or group.tenant != tenant:
                raise InvalidInput([f"unknown audience: no group {audience.id!r}"])
            return {
                "type": "group",
                "id": group.group_id,
                "tenant": tenant,
                "group_id": group.group_id,
                "group_type": group.group_type,
            }
        if audience.type is AudienceType.MAILING_LIST:
            found = find_mailing_list(conn, audience.id)
            if found is None or found.tenant != tenant:
                raise InvalidInput([f"unknown audience: no mailing list {audience.id!r}"])
            # The list's group decides who may message it: that group's officers.
            return {
                "type": "mailing_list",
                "id": found.list_id,
                "tenant": tenant,
                "group_id": found.group_id,
            }
        if audience.type is AudienceType.WARD:
            if audience.id not in projection.known_wards(conn, tenant):
                raise InvalidInput([f"unknown audience: no ward {audience.id!r}"])
            return {"type": "ward", "id": audience.id, "tenant": tenant}
    if audience.id not in ("", tenant):
        raise InvalidInput(["unknown audience: a tenant audience is your own force"])
    return {"type": "tenant", "id": tenant, "tenant": tenant}


def alert_provider(
    conn: psycopg.Connection[Any], principal: Principal, audience: Audience
) -> Provider | None:
    """Whom an alert to a ward or the force is from: the police for police and tenant admins,
    a partner's agency for a partner (InvalidInput if the force has no such active agency).
    A group's messages come from no provider: its members joined it."""
    if audience.type not in (AudienceType.WARD, AudienceType.TENANT):
        return None
    providers = consent.force_providers(conn, principal.tenant)
    if principal.kind != "partner":
        return providers[POLICE]
    agency = providers.get(principal.agency or "")
    if agency is None or agency.id in (POLICE, NEIGHBOURHOOD_WATCH):
        raise InvalidInput(["your agency is not an active partner agency of the force"])
    return agency


@dataclass(frozen=True)
class Ready:
    """A draft that passed every check and the policy: what sending records, and what a
    preview shows."""

    draft: Draft
    sender: Sender
    audience: Audience
    provider: Provider | None = None  # an alert's information provider


UNKNOWN_ATTACHMENT = "unknown attachment: upload it first (each goes with one message)"


def ready_to_send(ctx: MessagingContext, principal: Principal, draft: Draft) -> Ready:
    """The checked draft with its sender and audience, or InvalidInput (422) listing every
    fault, or the policy's refusal (403): the same for a send and for its preview."""
    try:
        draft = check_draft(draft)
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken
    resource = audience_resource(ctx, principal, draft.audience)
    if principal.agency:
        resource["agency"] = principal.agency  # the agency a partner's alert is sent for
    with ctx.pool.connection() as conn:
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
        group = projection.find_group(conn, resource.get("group_id", ""))
        force = projection.force_name(conn, principal.tenant)
    authorize(ctx.opa, principal, "messaging.message.send", resource, roles)
    if problems := check_anonymous_replies(draft.anonymous_replies, principal.kind):
        raise InvalidInput(problems)
    audience = Audience(draft.audience.type, resource["id"], resource.get("group_id", ""))
    with ctx.pool.connection() as conn:
        provider = alert_provider(conn, principal, audience)
    if draft.attachment_ids:
        # Attaching is a police power: the same decision as alerting the whole force.
        tenant_resource = {"type": "tenant", "id": principal.tenant, "tenant": principal.tenant}
        authorize(ctx.opa, principal, "messaging.message.send", tenant_resource, roles)
    sender = Sender(
        principal.account_id,
        sender_role(
            principal.kind,
            roles.get(group.group_id, []) if group else [],
            group.name if group else "",
            provider.name if provider and principal.kind == "partner" else "",
        ),
        force,
        principal.kind,
        principal.agency or "",
    )
    return Ready(draft, sender, audience, provider)


def send_message(
    ctx: MessagingContext, principal: Principal, draft: Draft, metadata: EventMetadata
) -> tuple[str, int]:
    """Record the message and its deliveries; return (message id, recipients)."""
    ready = ready_to_send(ctx, principal, draft)
    return record_message(
        ctx, principal.tenant, ready.sender, ready.draft, ready.audience, metadata, ready.provider
    )


def record_message(
    ctx: MessagingContext,
    tenant: str,
    sender: Sender,
    draft: Draft,
    audience: Audience,
    metadata: EventMetadata,
    provider: Provider | None = None,
) -> tuple[str, int]:
    """One transaction: message, inbox entries, deliveries and the MessageSent event."""
    with ctx.pool.connection() as conn, conn.transaction():
        return record_in(
            ctx.streams, conn, tenant, sender, draft, audience, metadata, provider=provider
        )


def reach_of(
    conn: psycopg.Connection[Any],
    tenant: str,
    draft: Draft,
    audience: Audience,
    provider: Provider | None,
    recipient_ids: list[str] | None = None,
) -> Reach:
    """Who the message reaches, on which channels, and why: the domain's decision over the
    audience's members, their preferences and (an alert) their consent to its provider."""
    on_by_default = (
        None if provider is None else default_on(provider, consent.force_defaults(conn, tenant))
    )
    candidates = projection.candidates(
        conn,
        tenant,
        audience.type.value,
        audience.id,
        recipient_ids,
        provider.id if provider else "",
    )
    return reach(draft.priority, candidates, on_by_default, datetime.now(UTC))


def record_in(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    tenant: str,
    sender: Sender,
    draft: Draft,
    audience: Audience,
    metadata: EventMetadata,
    *,
    link: str = "",
    recipient_ids: list[str] | None = None,
    provider: Provider | None = None,
    held: HeldSend | None = None,
) -> tuple[str, int]:
    """Record a message inside the caller's transaction. Recipients come from the audience's
    projection, or (a forwarded document) from the list the event named; the domain decides
    which of them it is sent to, on which channels. A `held` alert is sent with its own id,
    after its approval, on its own stream."""
    message_id = held.alert_id if held else str(uuid.uuid4())
    attachments = claim_attachments(conn, tenant, sender.account_id, message_id, draft)
    reached = reach_of(conn, tenant, draft, audience, provider, recipient_ids)
    event = sent_event(
        message_id, sender, draft, audience, provider, len(reached.inbox), reached.sends
    )
    event.attachments.extend(attachments)
    event.link = link
    messages.record_sent(conn, tenant, event)  # first: inbox entries and deliveries refer to it
    fan_out.record_inbox(conn, tenant, message_id, reached.inbox, reached.reasons)
    fan_out.record_deliveries(conn, tenant, message_id, reached.deliveries)
    fan_out.record_held_deliveries(conn, tenant, message_id, reached.held)
    fan_out.record_digest_items(conn, tenant, message_id, reached.digested)
    stream = event_streams.message_stream(tenant, message_id)
    if held:
        streams.append(stream, [*held.first, event], held.version, metadata, conn)
    else:
        streams.append(stream, [event, *poll_of(message_id, draft)], NO_STREAM, metadata, conn)
    dispatch_signal.wake_dispatchers(conn)
    return message_id, len(reached.inbox)


def poll_of(message_id: str, draft: Draft) -> list[pb.PollAttached | pb.AnonymousRepliesAllowed]:
    """The draft's poll, and its leave to reply anonymously, as the events recorded with the
    message (or with its AlertHeld: an alert that waits has them on its stream already when
    it is sent)."""
    poll = [feedback.attached(message_id, draft.poll)] if draft.poll else []
    return poll + ([anonymous_allowed(message_id)] if draft.anonymous_replies else [])


@dataclass(frozen=True)
class HeldSend:
    """A held alert being sent: its id, its stream's version, and the events that go before
    its MessageSent (the approval)."""

    alert_id: str
    version: int
    first: tuple[Message, ...]


def sent_event(
    message_id: str,
    sender: Sender,
    draft: Draft,
    audience: Audience,
    provider: Provider | None,
    recipients: int,
    deliveries: int,
) -> pb.MessageSent:
    """The MessageSent of a message about to be recorded (attachments and link added by the
    caller when it has them)."""
    return pb.MessageSent(
        message_id=message_id,
        sender=pb.Sender(
            account_id=sender.account_id,
            role=sender.role,
            force=sender.force,
            kind=sender.kind,
            agency_id=sender.agency_id,
        ),
        audience=pb.Audience(type=audience.type.value, id=audience.id, group_id=audience.group_id),
        subject=draft.subject,
        body=draft.body,
        message_type=draft.message_type.value,
        priority=draft.priority.value,
        recipients=recipients,
        deliveries=deliveries,
        provider=(
            pb.Provider(id=provider.id, name=provider.name, kind=provider.kind)
            if provider
            else None
        ),
    )


def claim_attachments(
    conn: psycopg.Connection[Any], tenant: str, sender_id: str, message_id: str, draft: Draft
) -> list[pb.Attachment]:
    """The draft's attachments, now the message's (InvalidInput unless each is the sender's
    upload, unclaimed or already this message's: a held alert claims them when it is held)."""
    if not draft.attachment_ids:
        return []
    claimed = message_attachments.claim(conn, tenant, sender_id, message_id, draft.attachment_ids)
    if len(claimed) != len(draft.attachment_ids):
        raise InvalidInput([UNKNOWN_ATTACHMENT])
    return [
        pb.Attachment(
            attachment_id=a.attachment_id,
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
        )
        for a in claimed
    ]
