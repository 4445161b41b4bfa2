"""The policy input engagement assembles: the subject's group roles from the membership
projection, the resource's tenant, group and agency from engagement's own rows. The decision is
always OPA's (snp_platform.authz); nothing here allows or denies."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_engagement.adapters import roles
from snp_engagement.adapters.queries import ActionRow
from snp_engagement.adapters.roles import Group
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_platform.authz import Refused, authorize
from snp_platform.opa import Decision
from snp_platform.tokens import Principal

Conn = psycopg.Connection[Any]
# The force's own officers record actions as the agency "police" (partners as their agency's id).
POLICE_AGENCY = "police"


def find_group(conn: Conn, group_id: str) -> Group:
    group = roles.find_group(conn, group_id)
    if group is None:
        raise NotFound("no such group")
    return group


def panel_resource(group: Group) -> dict[str, Any]:
    return {
        "type": "group",
        "id": group.group_id,
        "tenant": group.tenant,
        "group_id": group.group_id,
        "group_type": group.group_type,
    }


def action_resource(row: ActionRow, group_type: str) -> dict[str, Any]:
    return {
        "type": "action",
        "id": row.action_id,
        "tenant": row.tenant,
        "group_id": row.group_id,
        "group_type": group_type,
        "agency": row.agency,
    }


def recording_agency(principal: Principal) -> str:
    """The agency an action is recorded for: a partner's agency, or the force for police
    (whether this account may record at all is the policy's question)."""
    if principal.agency:
        return principal.agency
    return POLICE_AGENCY if principal.kind == "police" else ""


def require(
    ctx: EngagementContext,
    conn: Conn,
    principal: Principal,
    action: str,
    resource: dict[str, Any],
) -> Decision:
    """OPA's allow for `action` on `resource`, or the 403/404 problem it implies.

    Refused on a group the caller holds no role in, the answer is an unknown id's: a panel's
    plans say nothing of the panel to anyone outside it (invariant 5: a hidden panel's
    existence never leaks)."""
    held = roles.roles_of_account(conn, principal.account_id, [resource["group_id"]])
    try:
        return authorize(ctx.opa, principal, action, resource, held)
    except Refused:
        if not held.get(resource["group_id"]):
            raise NotFound("no such resource") from None
        raise
