"""Asking OPA at the edge of every service: the subject from the token, the resource from the
service's own data, and the policy's answer obeyed (no access rules in Python)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from snp_platform.opa import Decision, OpaClient
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import Principal


def subject_of(
    principal: Principal, group_roles: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """The policy's `subject`: who, of what kind, in which tenant, with MFA or not."""
    return {
        "id": principal.account_id,
        "kind": principal.kind,
        "tenant": principal.tenant,
        "mfa": principal.mfa,
        "group_roles": dict(group_roles or {}),
    }


def authorize(
    opa: OpaClient,
    principal: Principal,
    action: str,
    resource: Mapping[str, Any],
    group_roles: Mapping[str, list[str]] | None = None,
) -> Decision:
    """Return the allowing decision, or raise a 403 problem carrying the policy's reasons.

    A resource of another tenant is answered 404, so its existence is not confirmed.
    """
    decision = opa.decide(subject_of(principal, group_roles), action, resource)
    if decision.allow:
        return decision
    if (
        resource.get("tenant") not in (None, principal.tenant)
        and "cross_tenant" in decision.reasons
    ):
        raise Problem(404, detail="No such resource.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    raise Problem(
        403,
        detail=f"{action} is not allowed.",
        type_uri=PROBLEM_TYPE_BASE + "forbidden",
        reasons=list(decision.reasons),
    )
