"""The policy input documents assembles: the subject's group roles from the membership
projection, the resource's tenant, group and audience from documents' own rows. The decision
is always OPA's (snp_platform.authz); nothing here allows or denies."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_documents.adapters import roles
from snp_documents.adapters.read_models import DocumentRow
from snp_documents.adapters.roles import Group
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_platform.authz import Refused, authorize, subject_of
from snp_platform.opa import Decision
from snp_platform.tokens import Principal

Conn = psycopg.Connection[Any]


def find_group(conn: Conn, group_id: str) -> Group:
    group = roles.find_group(conn, group_id)
    if group is None:
        raise NotFound("no such group")
    return group


def group_resource(group: Group) -> dict[str, Any]:
    return {
        "type": "group",
        "id": group.group_id,
        "tenant": group.tenant,
        "group_id": group.group_id,
        "group_type": group.group_type,
    }


def document_resource(
    document_id: str, tenant: str, group_id: str, audience: str
) -> dict[str, Any]:
    return {
        "type": "document",
        "id": document_id,
        "tenant": tenant,
        "group_id": group_id,
        "audience": audience,
    }


def resource_of(row: DocumentRow) -> dict[str, Any]:
    return document_resource(row.document_id, row.tenant, row.group_id, row.audience)


def members_view(group: Group) -> dict[str, Any]:
    """The group's `members` documents as one resource: who may read any of them may list."""
    return document_resource(f"group:{group.group_id}", group.tenant, group.group_id, "members")


def require(
    ctx: DocumentsContext,
    conn: Conn,
    principal: Principal,
    action: str,
    resource: dict[str, Any],
) -> Decision:
    """OPA's allow for `action` on `resource`, or the 403/404 problem it implies.

    A refusal the policy conceals (the caller holds no role in the group) is answered as an
    unknown id: a group's documents say nothing of the group, or of themselves, to anyone
    outside it (invariant 5)."""
    held = roles.roles_of_account(conn, principal.account_id, [resource["group_id"]])
    try:
        return authorize(ctx.opa, principal, action, resource, held)
    except Refused as refused:
        if refused.conceal:
            raise NotFound(_unknown(resource)) from None
        raise


def _unknown(resource: dict[str, Any]) -> str:
    """What an unknown id of this resource is answered: a group's, or a document's."""
    if resource["type"] == "group" or str(resource["id"]).startswith("group:"):
        return "no such group"
    return "no such document"


def allowed(
    ctx: DocumentsContext,
    conn: Conn,
    principal: Principal,
    action: str,
    resources: list[dict[str, Any]],
) -> frozenset[str]:
    """The ids among `resources` OPA allows, in one batch question."""
    held = roles.roles_of_account(conn, principal.account_id, {r["group_id"] for r in resources})
    return ctx.opa.allowed_ids(subject_of(principal, held), action, resources)
