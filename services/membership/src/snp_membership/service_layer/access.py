"""The policy's input for membership: the group as a resource, the caller's roles from the
group tables. The answer comes from OPA (snp_platform.authz); nothing is decided here."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_membership.adapters.group_store import group_roles
from snp_membership.domain.model import Group
from snp_membership.service_layer.context import NotFound
from snp_platform.authz import authorize, subject_of
from snp_platform.opa import OpaClient
from snp_platform.problems import Problem
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

    Refused anything on a hidden group that the caller may not even read, the answer is an
    unknown id's (invariant 5: a hidden group's existence never leaks). Whether it may read is
    OPA's answer too."""
    roles = group_roles(conn, principal.account_id, [group.group_id])
    resource = group_resource(group, **extra)
    try:
        authorize(opa, principal, action, resource, roles)
    except Problem as refused:
        if refused.status == 403 and group.visibility == "hidden":
            seen = opa.decide(subject_of(principal, roles), READ, group_resource(group))
            if not seen.allow:
                raise NotFound(group.group_id) from None
        raise
