"""The reply team's side of replies: the threads of a message and of the team, a thread read,
answered (to its member only) and marked handled.

A message's reply team is the policy's: `messaging.reply_thread.read`, `.answer` and `.handle`
are its group's officers for a group's message, the force's police for a police alert. A
thread shows its member's display name, and their email or phone only when their reply shared
it: then identity is asked for it with the purpose `reply_shared`, so each time the team sees a
member's contact details is a release the member finds in their disclosures."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from snp.identity.v1.events_pb2 import ReleasePurpose
from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import dispatch_signal, event_streams, fan_out, messages
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters import replies as rows
from snp_messaging.adapters.directory import DirectoryUnavailable
from snp_messaging.domain import replies as rules
from snp_messaging.domain.messages import AudienceType, MessageType, Priority
from snp_messaging.service_layer.context import MessagingContext, NotFound
from snp_messaging.service_layer.reading import names_of
from snp_platform.authz import Refused, authorize, subject_of
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

READ, ANSWER, HANDLE = (f"messaging.reply_thread.{v}" for v in ("read", "answer", "handle"))


def _resource(row: dict[str, Any], thread_id: str = "") -> dict[str, Any]:
    """A thread (or a message's threads) as the policy sees it: its message's sender and group."""
    return {
        "type": "reply_thread",
        "id": thread_id or str(row["message_id"]),
        "tenant": row["tenant"],
        "owner": row["sender_id"],
        "group_id": row["group_id"],
        "sender_kind": row["sender_kind"],
    }


def _as_team(
    ctx: MessagingContext,
    conn: psycopg.Connection[Any],
    principal: Principal,
    action: str,
    resource: dict[str, Any],
) -> None:
    roles = projection.group_roles(conn, principal.tenant, principal.account_id)
    try:
        authorize(ctx.opa, principal, action, resource, roles)
    except Refused as refused:
        if refused.conceal:  # a thread is unknown to whoever is not on its team
            raise NotFound(resource["id"]) from refused
        raise


def _summary(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "message": {"id": row["message_id"], "subject": row["subject"]},
        "member": (
            {"reference": row["reference"]}
            if row["anonymous"]
            else {"display_name": names.get(row["account_id"])}
        ),
        "anonymous": row["anonymous"],
        "status": row["status"],
        "entries": row["entries"],
        "updated_at": row["updated_at"].isoformat(),
    }


def message_threads(ctx: MessagingContext, principal: Principal, message_id: str) -> list[Any]:
    """The threads of replies to one message, newest first (its team only)."""
    with ctx.pool.connection() as conn:
        row = messages.find_message(conn, message_id)
        if row is None or row["tenant"] != principal.tenant:
            raise NotFound(message_id)
        _as_team(ctx, conn, principal, READ, _resource({**row, "message_id": message_id}))
        found = rows.threads_of_message(conn, message_id)
    names = names_of(ctx, principal.tenant, [r["account_id"] for r in found if r["account_id"]])
    return [_summary(r, names) for r in found]


def team_threads(ctx: MessagingContext, principal: Principal, status: str | None) -> list[Any]:
    """The threads of every message the caller's team answers for (the policy picks them)."""
    with ctx.pool.connection() as conn:
        found = rows.threads_of_tenant(conn, principal.tenant, status)
        roles = projection.group_roles(conn, principal.tenant, principal.account_id)
    allowed = ctx.opa.allowed_ids(
        subject_of(principal, roles), READ, [_resource(r, r["id"]) for r in found]
    )
    mine = [r for r in found if r["id"] in allowed]
    names = names_of(ctx, principal.tenant, [r["account_id"] for r in mine if r["account_id"]])
    return [_summary(r, names) for r in mine]


def _team_thread(
    ctx: MessagingContext,
    conn: psycopg.Connection[Any],
    principal: Principal,
    action: str,
    thread_id: str,
) -> tuple[rules.Thread, dict[str, Any]]:
    summary = rows.thread_summary(conn, thread_id)
    thread = rows.find_thread(conn, thread_id)
    if summary is None or thread is None or summary["tenant"] != principal.tenant:
        raise NotFound(thread_id)
    _as_team(ctx, conn, principal, action, _resource(summary, thread_id))
    return thread, summary


def team_name(conn: psycopg.Connection[Any], row: dict[str, Any]) -> str:
    group = projection.find_group(conn, row["group_id"]) if row["group_id"] else None
    force = projection.force_name(conn, row["tenant"])
    return rules.team_name(row["sender_kind"], group.name if group else "", force)


def read_thread(ctx: MessagingContext, principal: Principal, thread_id: str) -> dict[str, Any]:
    """The thread with its entries; its member by name (or its reference), with the contact
    details they chose to share, released by identity for `reply_shared`."""
    with ctx.pool.connection() as conn:
        thread, summary = _team_thread(ctx, conn, principal, READ, thread_id)
        entries = rows.entries(conn, thread_id)
        team = team_name(conn, summary)
    names = names_of(
        ctx,
        principal.tenant,
        [thread.account_id, *{e["answered_by"] for e in entries if e["answered_by"]}],
    )
    shown = {
        **_summary(summary, names),
        "team": team,
        "entries": [
            {
                "id": e["id"],
                "from_team": e["from_team"],
                "by": names.get(e["answered_by"]) if e["from_team"] else None,
                "text": e["text"],
                "written_at": e["written_at"].isoformat(),
            }
            for e in entries
        ],
    }
    share = rules.ShareContact(summary["share_contact"] or "none")
    if not thread.anonymous and share is not rules.ShareContact.NONE:
        shown["member"]["contact"] = _shared_contact(ctx, summary, thread, share, team)
    return shown


def _shared_contact(
    ctx: MessagingContext,
    summary: dict[str, Any],
    thread: rules.Thread,
    share: rules.ShareContact,
    team: str,
) -> dict[str, Any] | None:
    why = ReleasePurpose(
        code="reply_shared",
        message_id=thread.message_id,
        team=team,
        shared=share.value,
        group_id=summary["group_id"],
    )
    try:
        found = ctx.directory.contacts(summary["tenant"], [thread.account_id], why)
    except DirectoryUnavailable:
        return None
    contact = found.get(thread.account_id)
    if contact is None:  # erased, or identity no longer knows them
        return None
    return {
        "email": contact.email if share.email else None,
        "phone": contact.phone if share.phone else None,
    }


def answer(
    ctx: MessagingContext, principal: Principal, thread_id: str, text: str, metadata: EventMetadata
) -> dict[str, Any]:
    """The team's answer, to the thread's member only: a message in their inbox (and by
    email, through the usual deliveries) and an entry in the thread, in one transaction."""
    reply_id, answer_id = str(uuid.uuid4()), str(uuid.uuid4())
    with ctx.pool.connection() as conn, conn.transaction():
        thread, summary = _team_thread(ctx, conn, principal, ANSWER, thread_id)
        event = rules.answer(thread, reply_id, principal.account_id, text, answer_id)
        team = team_name(conn, summary)
        sent = pb.MessageSent(
            message_id=answer_id,
            sender=pb.Sender(
                account_id=principal.account_id,
                role=team.removeprefix("the "),
                force=projection.force_name(conn, principal.tenant),
                kind=principal.kind,
            ),
            audience=pb.Audience(type=AudienceType.ACCOUNT.value, id=thread.account_id),
            subject=f"Re: {summary['subject']}"[:200],
            body=event.text,
            message_type=MessageType.REPLY.value,
            priority=Priority.NORMAL.value,
            recipients=1,
            deliveries=1,
            link=f"{ctx.settings.portal_base_url.rstrip('/')}/inbox/{thread.message_id}",
        )
        messages.record_sent(conn, principal.tenant, sent)
        fan_out.record_inbox(conn, principal.tenant, answer_id, [thread.account_id])
        fan_out.record_deliveries(conn, principal.tenant, answer_id, [(thread.account_id, "email")])
        ctx.streams.append(
            event_streams.message_stream(principal.tenant, answer_id),
            [sent],
            NO_STREAM,
            metadata,
            conn,
        )
        ctx.streams.append(
            event_streams.reply_thread_stream(principal.tenant, thread_id),
            [event],
            ANY_VERSION,
            metadata,
            conn,
        )
        dispatch_signal.wake_dispatchers(conn)
    return {"id": reply_id, "message_id": answer_id}


def mark_handled(
    ctx: MessagingContext, principal: Principal, thread_id: str, metadata: EventMetadata
) -> dict[str, Any]:
    with ctx.pool.connection() as conn, conn.transaction():
        thread, _ = _team_thread(ctx, conn, principal, HANDLE, thread_id)
        events = rules.handled(thread, principal.account_id)
        if events:
            stream = event_streams.reply_thread_stream(principal.tenant, thread_id)
            ctx.streams.append(stream, events, ANY_VERSION, metadata, conn)
    return {"id": thread_id, "status": "handled"}
