"""An account's own groups: those it belongs to, with its roles there, and those it has asked
to join. Both lists are filtered by the policy's `membership.group.read` (a group hidden after
the request was made is not shown to someone still outside it)."""

from __future__ import annotations

from dataclasses import dataclass

from snp_membership.adapters import listing as lists
from snp_membership.adapters.group_store import group_roles
from snp_membership.domain.model import Group
from snp_membership.service_layer.access import group_resource
from snp_membership.service_layer.context import MembershipContext
from snp_platform.authz import authorize, subject_of
from snp_platform.tokens import Principal


@dataclass(frozen=True)
class Membership:
    group: Group
    roles: list[str]  # "member" plus the offices held, in role order
    approvals: list[str]  # the sides that marked the group itself


@dataclass(frozen=True)
class WaitingRequest:
    group: Group
    request_id: str
    requested_at: str  # ISO 8601


@dataclass(frozen=True)
class OwnGroups:
    memberships: list[Membership]
    waiting: list[WaitingRequest]


def own_groups(ctx: MembershipContext, principal: Principal) -> OwnGroups:
    account = {
        "type": "account",
        "id": principal.account_id,
        "tenant": principal.tenant,
        "owner": principal.account_id,
    }
    authorize(ctx.opa, principal, "membership.account_groups.read", account)
    with ctx.connection() as conn:
        groups = lists.member_groups(conn, principal.tenant, principal.account_id)
        requested = lists.requested_groups(conn, principal.tenant, principal.account_id)
        candidates = {g.group_id: g for g in [*groups, *(g for g, _r, _at in requested)]}
        roles = group_roles(conn, principal.account_id, list(candidates))
        marks = lists.group_marks(conn, [g.group_id for g in groups])
    readable = (
        ctx.opa.allowed_ids(
            subject_of(principal, roles),
            "membership.group.read",
            [group_resource(g) for g in candidates.values()],
        )
        if candidates
        else frozenset()
    )
    return OwnGroups(
        [
            Membership(g, roles.get(g.group_id, ["member"]), marks.get(g.group_id, []))
            for g in groups
            if g.group_id in readable
        ],
        [
            WaitingRequest(g, request_id, at.isoformat())
            for g, request_id, at in requested
            if g.group_id in readable
        ],
    )
