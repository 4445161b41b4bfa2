"""What members and senders read: the inbox, a message with its delivery counts and statuses."""

from __future__ import annotations

from typing import Any

from snp_messaging.adapters import messages
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.directory import DirectoryUnavailable
from snp_messaging.service_layer.context import MessagingContext, NotFound
from snp_platform.authz import authorize
from snp_platform.tokens import Principal


def _names(ctx: MessagingContext, tenant: str, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Senders' names as identity knows them now (never stored here); none if it is down."""
    try:
        return ctx.directory.display_names(tenant, {r["sender_id"] for r in rows})
    except DirectoryUnavailable:
        return {}


def _shown(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "subject": row["subject"],
        "body": row["body"],
        "type": row["message_type"],
        "priority": row["priority"],
        "sender": {
            "name": names.get(row["sender_id"]),
            "role": row["sender_role"],
            "force": row["sender_force"],
        },
        "audience": {"type": row["audience_type"], "id": row["audience_id"]},
        "link": row["link"] or None,
        "attachments": row["attachments"],
        "sent_at": row["created_at"].isoformat(),
    }


def inbox(
    ctx: MessagingContext, principal: Principal, limit: int, before: str | None
) -> list[dict[str, Any]]:
    """What the caller was sent, newest first; `before` a message id to page on from."""
    resource = {
        "type": "inbox",
        "id": principal.account_id,
        "tenant": principal.tenant,
        "owner": principal.account_id,
    }
    authorize(ctx.opa, principal, "messaging.inbox.read", resource)
    with ctx.pool.connection() as conn:
        rows = messages.inbox_page(conn, principal.tenant, principal.account_id, before, limit)
    names = _names(ctx, principal.tenant, rows)
    return [_shown(r, names) for r in rows]


def message_status(
    ctx: MessagingContext, principal: Principal, message_id: str, after: str | None, limit: int
) -> dict[str, Any]:
    """The message, its delivery counts, and a page of per-recipient statuses."""
    with ctx.pool.connection() as conn:
        row = messages.find_message(conn, message_id)
        if row is None or row["tenant"] != principal.tenant:
            raise NotFound(message_id)
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
        resource = {
            "type": "message",
            "id": message_id,
            "tenant": row["tenant"],
            "owner": row["sender_id"],
            "group_id": row["group_id"],
        }
        authorize(ctx.opa, principal, "messaging.message.read_status", resource, roles)
        counts = dict.fromkeys(("pending", "queued", "sent", "failed", "bounced"), 0)
        counts.update(messages.delivery_counts(conn, message_id))
        page = [
            {**r, "updated_at": r["updated_at"].isoformat()}
            for r in messages.delivery_page(conn, message_id, after, limit)
        ]
    return {
        **_shown(row, _names(ctx, principal.tenant, [row])),
        "deliveries": {"total": sum(counts.values()), **counts},
        "recipients_page": page,
    }
