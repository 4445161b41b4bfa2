"""What members and senders read: the inbox, a message with its delivery counts and statuses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from snp_messaging.adapters import feedback, messages, replies
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.directory import DirectoryUnavailable
from snp_messaging.domain.deliveries import COUNTED, plain_reason
from snp_messaging.domain.providers import member_reason, reason
from snp_messaging.service_layer.context import MessagingContext, NotFound
from snp_messaging.service_layer.timelines import delivery_timeline
from snp_platform.authz import authorize, subject_of
from snp_platform.tokens import Principal


def names_of(ctx: MessagingContext, tenant: str, account_ids: Iterable[str]) -> dict[str, str]:
    """Senders' and recipients' names as identity knows them now (names only, never stored
    here, not a release of contact details); none if identity is down."""
    try:
        return ctx.directory.display_names(tenant, account_ids)
    except DirectoryUnavailable:
        return {}


def shown(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
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
        "provider": (
            {"id": row["provider_id"], "name": row["provider_name"]} if row["provider_id"] else None
        ),
        "link": row["link"] or None,
        "attachments": row["attachments"],
        "sent_at": row["created_at"].isoformat(),
        # A correction or withdrawal links to its original, and an original to each of them.
        "follows_up": (
            {"id": row["follow_up_of"], "kind": row["follow_up_kind"]}
            if row["follow_up_of"]
            else None
        ),
        "follow_ups": row["follow_ups"],
        "withdrawn": any(f["kind"] == "withdrawal" for f in row["follow_ups"]),
    }


def why_it_reached_me(row: dict[str, Any]) -> str:
    """An inbox entry's reason in words: the provider consent an alert reached the member by,
    or the group they joined ('' for what is neither, e.g. a forwarded document)."""
    if row["basis"]:
        area = f"ward {row['ward_name']}" if row["ward_name"] else row["sender_force"]
        return reason(row["basis"], row["provider_name"], area)
    if row["audience_type"] == "group" and row["group_name"]:
        return member_reason(row["group_name"])
    return ""


def _own_inbox(principal: Principal) -> dict[str, Any]:
    return {
        "type": "inbox",
        "id": principal.account_id,
        "tenant": principal.tenant,
        "owner": principal.account_id,
    }


def message_resource(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "id": row["id"],
        "tenant": row["tenant"],
        "owner": row["sender_id"],
        "group_id": row["group_id"],
        "sender_kind": row["sender_kind"],
    }


def inbox(
    ctx: MessagingContext, principal: Principal, limit: int, before: str | None
) -> list[dict[str, Any]]:
    """What the caller was sent, newest first; `before` a message id to page on from."""
    authorize(ctx.opa, principal, "messaging.inbox.read", _own_inbox(principal))
    with ctx.pool.connection() as conn:
        rows = messages.inbox_page(conn, principal.tenant, principal.account_id, before, limit)
    names = names_of(ctx, principal.tenant, [r["sender_id"] for r in rows])
    return [{**shown(r, names), "reason": why_it_reached_me(r)} for r in rows]


def inbox_message(ctx: MessagingContext, principal: Principal, message_id: str) -> dict[str, Any]:
    """One message the caller was sent (NotFound for any other, whoever sent it)."""
    authorize(ctx.opa, principal, "messaging.inbox.read", _own_inbox(principal))
    with ctx.pool.connection() as conn:
        row = messages.inbox_message(conn, principal.tenant, principal.account_id, message_id)
        if row is None:
            raise NotFound(message_id)
        own = feedback.recipient_view(conn, message_id, principal.account_id)
        own |= replies.member_view(conn, message_id, principal.account_id)
    shown_row = shown(row, names_of(ctx, principal.tenant, [row["sender_id"]]))
    return {**shown_row, "reason": why_it_reached_me(row), **own}


def group_messages(
    ctx: MessagingContext, principal: Principal, group_id: str, limit: int, before: str | None
) -> list[dict[str, Any]]:
    """The group's messages whose delivery the caller may read (the policy filters the page:
    officers of the group see them all, a sender their own), newest first."""
    with ctx.pool.connection() as conn:
        rows = messages.group_messages(conn, principal.tenant, group_id, before, limit)
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
    rows = [{**r, "tenant": principal.tenant} for r in rows]
    allowed = ctx.opa.allowed_ids(
        subject_of(principal, roles),
        "messaging.message.read_status",
        [message_resource(r) for r in rows],
    )
    readable = [r for r in rows if r["id"] in allowed]
    names = names_of(ctx, principal.tenant, [r["sender_id"] for r in readable])
    return [{**shown(r, names), "recipients": r["recipients"]} for r in readable]


def message_status(
    ctx: MessagingContext, principal: Principal, message_id: str, after: str | None, limit: int
) -> dict[str, Any]:
    """The message, its delivery counts over time, and a page of per-recipient statuses:
    by name with the provider's error for those the policy lets identify the recipients (the
    group's officers), else by account id with a plain reason (police see no contact details,
    and a provider's error can quote the address it refused)."""
    with ctx.pool.connection() as conn:
        row = messages.find_message(conn, message_id)
        if row is None or row["tenant"] != principal.tenant:
            raise NotFound(message_id)
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
        resource = message_resource(row)
        authorize(ctx.opa, principal, "messaging.message.read_status", resource, roles)
        identify = ctx.opa.decide(
            subject_of(principal, roles), "messaging.recipients.identify", resource
        ).allow
        # Whether the caller may correct or withdraw it (its sender), so a page offers it.
        amendable = ctx.opa.decide(
            subject_of(principal, roles), "messaging.alert.amend", _amend_resource(row)
        ).allow
        counts = dict.fromkeys(COUNTED, 0)
        counts.update(messages.delivery_counts(conn, message_id))
        fell_back = messages.fallback_count(conn, message_id)
        page = messages.delivery_page(conn, message_id, after, limit)
        timeline = delivery_timeline(conn, row)
    recipients = [r["account_id"] for r in page] if identify else []
    names = names_of(ctx, principal.tenant, [row["sender_id"], *recipients])
    return {
        **shown(row, names),
        "deliveries": {"total": sum(counts.values()), **counts},
        # Texts sent because an urgent message's email failed (counted in `deliveries` too).
        "fell_back": fell_back,
        "timeline": timeline,
        "recipients_identified": identify,
        "amendable": amendable,
        "recipients_page": [_recipient(r, names if identify else None) for r in page],
    }


def _amend_resource(row: dict[str, Any]) -> dict[str, Any]:
    """The message as the policy's `messaging.alert.amend` sees it (service_layer/follow_ups)."""
    return {
        "type": "message",
        "id": row["id"],
        "tenant": row["tenant"],
        "owner": row["sender_id"],
        "sender_kind": row["sender_kind"],
    }


def _recipient(row: dict[str, Any], names: dict[str, str] | None) -> dict[str, Any]:
    shown_row = {
        "delivery_id": row["delivery_id"],
        "account_id": row["account_id"],
        "channel": row["channel"],
        "status": row["status"],
        "attempts": row["attempts"],
        "reason": plain_reason(row["status"], row["last_error"]),
        "updated_at": row["updated_at"].isoformat(),
        "fallback_of": row.get("fallback_of"),
    }
    if names is None:
        return shown_row
    return {
        **shown_row,
        "last_error": row["last_error"],
        "display_name": names.get(row["account_id"]),
    }
