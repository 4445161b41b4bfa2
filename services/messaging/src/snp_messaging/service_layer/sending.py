"""Sending a message: authorize against the audience, resolve recipients, record deliveries.

Everything a send decides is committed in one transaction: the MessageSent event, the message,
every recipient's inbox entry and every delivery (status `pending`). The dispatcher then puts
the deliveries on the delivery topic; nothing is sent from here, so a crash loses nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import event_streams
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    Sender,
    check_draft,
    sender_role,
)
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_platform.authz import authorize
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

NOTIFY_CHANNEL = "snp_deliveries"
PRIORITIES = "ARRAY['low','normal','high','urgent']"


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
        if audience.type is AudienceType.WARD:
            if audience.id not in projection.known_wards(conn, tenant):
                raise InvalidInput([f"unknown audience: no ward {audience.id!r}"])
            return {"type": "ward", "id": audience.id, "tenant": tenant}
    if audience.id not in ("", tenant):
        raise InvalidInput(["unknown audience: a tenant audience is your own force"])
    return {"type": "tenant", "id": tenant, "tenant": tenant}


def send_message(
    ctx: MessagingContext, principal: Principal, draft: Draft, metadata: EventMetadata
) -> tuple[str, int]:
    """Record the message and its deliveries; return (message id, recipients)."""
    try:
        draft = check_draft(draft)
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken
    resource = audience_resource(ctx, principal, draft.audience)
    with ctx.pool.connection() as conn:
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
        group = projection.find_group(conn, resource.get("group_id", ""))
        force = projection.force_name(conn, principal.tenant)
    authorize(ctx.opa, principal, "messaging.message.send", resource, roles)
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
        ),
        force,
    )
    audience = Audience(draft.audience.type, resource["id"], resource.get("group_id", ""))
    return record_message(ctx, principal.tenant, sender, draft, audience, metadata)


def record_message(
    ctx: MessagingContext,
    tenant: str,
    sender: Sender,
    draft: Draft,
    audience: Audience,
    metadata: EventMetadata,
) -> tuple[str, int]:
    """One transaction: message, inbox entries, deliveries and the MessageSent event."""
    with ctx.pool.connection() as conn, conn.transaction():
        return record_in(ctx.streams, conn, tenant, sender, draft, audience, metadata)


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
) -> tuple[str, int]:
    """Record a message inside the caller's transaction. Recipients come from the audience's
    projection, or (a forwarded document) from the list the event named."""
    message_id = str(uuid.uuid4())
    params = {
        "mid": message_id,
        "tenant": tenant,
        "id": audience.id,
        "priority": draft.priority.value,
        "ids": recipient_ids or [],
    }
    conn.execute(
        "INSERT INTO messages (message_id, tenant, sender_id, sender_role,"
        " sender_force, audience_type, audience_id, group_id, subject, body, message_type,"
        " priority, link, recipients) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,0)",
        (
            message_id,
            tenant,
            sender.account_id,
            sender.role,
            sender.force,
            audience.type.value,
            audience.id,
            audience.group_id,
            draft.subject,
            draft.body,
            draft.message_type.value,
            draft.priority.value,
            link,
        ),
    )
    attachments = _claim_attachments(conn, tenant, sender.account_id, message_id, draft)
    audience_sql = (
        "SELECT DISTINCT unnest(%(ids)s::text[]) AS account_id"
        if recipient_ids is not None
        else projection.AUDIENCE_SQL[audience.type.value]
    )
    recipients = conn.execute(
        "INSERT INTO inbox (tenant, account_id, message_id) "  # noqa: S608
        f"SELECT %(tenant)s, account_id, %(mid)s FROM ({audience_sql}) a",
        params,
    ).rowcount
    deliveries = conn.execute(
        "INSERT INTO deliveries (delivery_id, message_id, tenant, account_id, channel, status) "  # noqa: S608
        "SELECT gen_random_uuid(), i.message_id, i.tenant, i.account_id, ch, 'pending' "
        "FROM inbox i LEFT JOIN preferences p ON p.account_id = i.account_id "
        "CROSS JOIN LATERAL unnest(coalesce(p.channels, ARRAY['email'])) AS ch "
        "WHERE i.message_id = %(mid)s AND "
        f"array_position({PRIORITIES}, coalesce(p.minimum_priority, 'low')) <= "
        f"array_position({PRIORITIES}, %(priority)s::text)",
        params,
    ).rowcount
    conn.execute(
        "UPDATE messages SET recipients = %s WHERE message_id = %s", (recipients, message_id)
    )
    event = pb.MessageSent(
        message_id=message_id,
        sender=pb.Sender(
            account_id=sender.account_id,
            role=sender.role,
            force=sender.force,
        ),
        audience=pb.Audience(type=audience.type.value, id=audience.id, group_id=audience.group_id),
        subject=draft.subject,
        body=draft.body,
        message_type=draft.message_type.value,
        priority=draft.priority.value,
        recipients=recipients,
        deliveries=deliveries,
        attachments=attachments,
        link=link,
    )
    stream = event_streams.message_stream(tenant, message_id)
    streams.append(stream, [event], NO_STREAM, metadata, conn)
    conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    return message_id, recipients


def _claim_attachments(
    conn: Any, tenant: str, sender_id: str, message_id: str, draft: Draft
) -> list[pb.Attachment]:
    if not draft.attachment_ids:
        return []
    rows = conn.execute(
        "UPDATE attachments SET message_id = %s WHERE attachment_id = ANY(%s::uuid[]) "
        "AND tenant = %s AND uploaded_by = %s AND message_id IS NULL "
        "RETURNING attachment_id::text, filename, content_type, size, sha256",
        (message_id, list(draft.attachment_ids), tenant, sender_id),
    ).fetchall()
    if len(rows) != len(draft.attachment_ids):
        raise InvalidInput(["unknown attachment: upload it first (each goes with one message)"])
    listed = [
        pb.Attachment(attachment_id=r[0], filename=r[1], content_type=r[2], size=r[3], sha256=r[4])
        for r in rows
    ]
    conn.execute(
        "UPDATE messages SET attachments = %s::jsonb WHERE message_id = %s",
        (
            _json(
                [
                    {
                        "id": a.attachment_id,
                        "filename": a.filename,
                        "content_type": a.content_type,
                        "size": a.size,
                    }
                    for a in listed
                ]
            ),
            message_id,
        ),
    )
    return listed


def _json(value: object) -> str:
    import json

    return json.dumps(value)
