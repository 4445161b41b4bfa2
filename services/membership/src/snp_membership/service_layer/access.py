"""The policy's input for membership: the group as a resource, the caller's roles from the
group tables. The answer comes from OPA (snp_platform.authz); nothing is decided here."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_membership.adapters.group_store import group_roles
from snp_membership.domain.model import Group
from snp_membership.service_layer.context import NotFound
from snp_platform.authz import Refused, authorize
from snp_platform.opa import OpaClient
from snp_platform.tokens import Principal

READ = "membership.group.read"


def group_resource(group: Group, **extra: str) -> dict[str, Any]:
    """A group as the policy sees it (`extra`: e.g. the leaving member as `owner`, a `side`)."""
    return {
        "type": "group",
        "id": group.group_id,
        "tenant": group.tenant,
        "group_id": group.group_id,
        "group_type": group.group_type,
        "visibility": group.visibility,
        "status": group.status,
        "group_directory": group.directory,
        **extra,
    }


def authorize_on_group(
    opa: OpaClient,
    conn: psycopg.Connection[Any],
    principal: Principal,
    action: str,
    group: Group,
    **extra: str,
) -> None:
    """Ask OPA; raise the 403 (or cross-tenant 404) problem when it says no.

    A refusal the policy conceals (a hidden group the caller may not even read) is answered as
    an unknown id (invariant 5: a hidden group's existence never leaks)."""
    roles = group_roles(conn, principal.account_id, [group.group_id])
    try:
        authorize(opa, principal, action, group_resource(group, **extra), roles)
    except Refused as refused:
        if refused.conceal:
            raise NotFound(group.group_id) from None
        raise
