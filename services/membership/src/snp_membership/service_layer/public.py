"""What membership shows a visitor without an account. The policy is asked as subject kind
`public` (no token can carry it), which may read public open groups and nothing else."""

from __future__ import annotations

from typing import Any

from snp_membership.domain.model import Group
from snp_membership.service_layer.access import group_resource
from snp_membership.service_layer.context import MembershipContext, NotFound
from snp_membership.service_layer.groups import existing_group


def visitor(tenant: str) -> dict[str, Any]:
    """The policy's subject for someone browsing a force's groups without signing in."""
    return {"id": "", "kind": "public", "tenant": tenant, "mfa": False, "group_roles": {}}


def public_group(ctx: MembershipContext, tenant: str, group_id: str) -> Group:
    """The group if the public may see it. A hidden or closed group, or one of another force,
    is answered exactly as an unknown id is (404), so its existence never leaks."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
    decision = ctx.opa.decide(visitor(tenant), "membership.group.read", group_resource(group))
    if not decision.allow:
        raise NotFound(group_id)
    return group
