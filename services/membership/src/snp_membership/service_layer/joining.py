"""Asking to join, deciding requests, leaving and removing: load, ask the policy, decide, record."""

from __future__ import annotations

import uuid

from snp_membership.adapters.group_store import group_roles, load_standing, request_account
from snp_membership.adapters.listing import waiting_requests
from snp_membership.domain import joining
from snp_membership.domain.model import Standing
from snp_membership.service_layer.access import authorize_on_group
from snp_membership.service_layer.context import MembershipContext, NotFound
from snp_membership.service_layer.groups import check_version, existing_group, record_on
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal

MAX_WAITING_SHOWN = 1000


def request_join(
    ctx: MembershipContext, principal: Principal, group_id: str, meta: EventMetadata
) -> tuple[str, int]:
    """A member asks to join; returns the request id and the group's new version."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.join.request", group)
        request_id = str(uuid.uuid4())
        who = load_standing(conn, group_id, principal.account_id)
        events = joining.request_join(group, who, request_id)
        return request_id, record_on(ctx, conn, group, events, meta)


def own_standing(
    ctx: MembershipContext, principal: Principal, group_id: str
) -> tuple[Standing, list[str]]:
    """The caller's own place in a group they may read: a member or not, their roles there
    ("member" and offices), their waiting request; so a page can say "your request is waiting"."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.group.read", group)
        standing = load_standing(conn, group_id, principal.account_id)
        roles = group_roles(conn, principal.account_id, [group_id]).get(group_id, [])
    return standing, roles


def decide_request(
    ctx: MembershipContext,
    principal: Principal,
    group_id: str,
    request_id: str,
    admit: bool,
    expected_version: int | None,
    meta: EventMetadata,
) -> int:
    """An officer admits or rejects a waiting request; returns the group's new version."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.join.decide", group)
        account_id = request_account(conn, group_id, request_id)
        if account_id is None:
            raise NotFound(request_id)
        check_version(group, expected_version)
        who = load_standing(conn, group_id, account_id)
        decide = joining.admit if admit else joining.reject
        events = decide(group, who, request_id, principal.account_id)
        return record_on(ctx, conn, group, events, meta)


def end_membership(
    ctx: MembershipContext,
    principal: Principal,
    group_id: str,
    account_id: str,
    expected_version: int | None,
    meta: EventMetadata,
) -> int:
    """The member leaves, or an officer removes them; returns the group's new version."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(
            ctx.opa, conn, principal, "membership.member.remove", group, owner=account_id
        )
        check_version(group, expected_version)
        who = load_standing(conn, group_id, account_id)
        if not who.is_member:
            raise NotFound(account_id)
        events = joining.end_membership(group, who, principal.account_id)
        return record_on(ctx, conn, group, events, meta)


def pending_requests(
    ctx: MembershipContext, principal: Principal, group_id: str
) -> list[tuple[str, str, str | None, str]]:
    """(request id, account id, display name, requested at) of the requests waiting, for the
    officers, who decide on a name (from identity's directory; None when it cannot say)."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.join.decide", group)
        waiting = waiting_requests(conn, group_id, MAX_WAITING_SHOWN)
    ids = [account_id for _rid, account_id, _at in waiting]
    names = ctx.directory.display_names(group.tenant, ids) if ids else {}
    return [(rid, a, names.get(a), at.isoformat()) for rid, a, at in waiting]
