"""Officers' mailing lists: subsets of the group's current members (from the projection).

The lists' tables follow their events (documents' streams apply them in each append's
transaction), so a use case here loads, decides and appends."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_documents.adapters import read_models, roles
from snp_documents.adapters.event_streams import mailing_list_stream
from snp_documents.adapters.roles import Group
from snp_documents.adapters.sealing import open_text, seal_text, text_aad
from snp_documents.domain import mailing_lists as domain
from snp_documents.service_layer.access import find_group, group_resource, require
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

MANAGE = "documents.mailing_list.manage"
Conn = psycopg.Connection[Any]


def _authorized_group(ctx: DocumentsContext, conn: Conn, principal: Principal, gid: str) -> Group:
    group = find_group(conn, gid)
    require(ctx, conn, principal, MANAGE, group_resource(group))
    return group


def create(
    ctx: DocumentsContext,
    principal: Principal,
    group_id: str,
    name: str,
    members: list[str],
    metadata: EventMetadata,
) -> dict[str, Any]:
    name = domain.checked_name(name)
    list_id = new_event_id()
    with ctx.pool.connection() as conn:
        group = _authorized_group(ctx, conn, principal, group_id)
    key = ctx.keys.ensure(group.tenant, group.group_id, metadata)
    sealed = seal_text(key, name, text_aad(group.tenant, group_id, list_id, "list-name"))
    with ctx.pool.connection() as conn, conn.transaction():
        events = domain.create(
            list_id,
            group_id,
            sealed,
            members,
            roles.current_members(conn, group_id),
            principal.account_id,
        )
        ctx.streams.append(
            mailing_list_stream(group.tenant, list_id), events, NO_STREAM, metadata, conn
        )
    stored = list(events[0].member_account_ids)  # type: ignore[attr-defined]
    return {
        "id": list_id,
        "group_id": group_id,
        "name": name,
        **_members(ctx, group.tenant, stored),
    }


def replace_members(
    ctx: DocumentsContext,
    principal: Principal,
    group_id: str,
    mailing_list_id: str,
    members: list[str],
    metadata: EventMetadata,
) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        group = _authorized_group(ctx, conn, principal, group_id)
    stream = mailing_list_stream(group.tenant, mailing_list_id)
    history, version = ctx.streams.load(stream)
    state = domain.fold(history)
    if state is None or state.group_id != group_id or state.deleted:
        raise NotFound("no such mailing list")
    with ctx.pool.connection() as conn, conn.transaction():
        events = domain.replace_members(
            state, members, roles.current_members(conn, group_id), principal.account_id
        )
        ctx.streams.append(stream, events, version, metadata, conn)
    stored = list(events[0].member_account_ids)  # type: ignore[attr-defined]
    return {"id": mailing_list_id, "group_id": group_id, **_members(ctx, group.tenant, stored)}


def delete(
    ctx: DocumentsContext,
    principal: Principal,
    group_id: str,
    mailing_list_id: str,
    metadata: EventMetadata,
) -> None:
    with ctx.pool.connection() as conn:
        group = _authorized_group(ctx, conn, principal, group_id)
    stream = mailing_list_stream(group.tenant, mailing_list_id)
    history, version = ctx.streams.load(stream)
    state = domain.fold(history)
    if state is None or state.group_id != group_id:
        raise NotFound("no such mailing list")
    events = domain.delete(state, principal.account_id)
    ctx.streams.append(stream, events, version, metadata)


def list_lists(ctx: DocumentsContext, principal: Principal, group_id: str) -> list[dict[str, Any]]:
    with ctx.pool.connection() as conn:
        group = _authorized_group(ctx, conn, principal, group_id)
        lists = read_models.live_lists(conn, group_id)
        if not lists:
            return []
        key = ctx.keys.key(conn, group_id)
        found = [
            (
                list_id,
                open_text(key, name, text_aad(group.tenant, group_id, list_id, "list-name")),
                read_models.list_members(conn, list_id),
            )
            for list_id, name in lists
        ]
    everyone = [a for _id, _name, members in found for a in members]
    names = ctx.directory.display_names(group.tenant, everyone) if everyone else {}
    return [
        {"id": list_id, "group_id": group_id, "name": name, **_named(members, names)}
        for list_id, name, members in found
    ]


def _members(ctx: DocumentsContext, tenant: str, account_ids: list[str]) -> dict[str, Any]:
    names = ctx.directory.display_names(tenant, account_ids) if account_ids else {}
    return _named(account_ids, names)


def _named(account_ids: list[str], names: dict[str, str]) -> dict[str, Any]:
    """A list's members as ids and, by name, as identity's directory knows them now (names
    only, never stored here; erased or unknown accounts have none)."""
    return {
        "member_account_ids": account_ids,
        "members": [{"account_id": a, "display_name": names.get(a)} for a in account_ids],
    }


def member_left_group(
    ctx: DocumentsContext,
    conn: Conn,
    tenant: str,
    group_id: str,
    account_id: str,
    metadata: EventMetadata,
) -> int:
    """Take a departed member off every list of the group, in the caller's transaction."""
    lists = read_models.lists_holding(conn, group_id, account_id)
    for list_id in lists:
        # Decided from the read model in this transaction (a batch may hold several leavers of
        # one list, whose earlier removals are not committed yet): the row says they are on it.
        state = domain.MailingList(list_id, group_id, frozenset({account_id}))
        events = domain.member_left_group(state, account_id)
        ctx.streams.append(
            mailing_list_stream(tenant, list_id), events, ANY_VERSION, metadata, conn
        )
    return len(lists)
