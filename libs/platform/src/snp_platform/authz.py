"""Asking OPA at the edge of every service: the subject from the token, the resource from the
service's own data, and the policy's answer obeyed (no access rules in Python)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog

from snp_platform.opa import UNAVAILABLE, Decision, OpaClient
from snp_platform.problems import PROBLEM_TYPE_BASE, RETRY_AFTER_SECONDS, Problem
from snp_platform.tokens import Principal

# The only reasons a caller is told: those they can act on. The rest (which guard or grant
# objected) would map the policy for anyone probing it; they are logged here and reach audit
# in OPA's decision log.
ACTIONABLE_REASONS = frozenset({"mfa_required"})

_log = structlog.get_logger()


def subject_of(
    principal: Principal, group_roles: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """The policy's `subject`: who, of what kind, in which tenant, with MFA or not (and a
    partner's agency, which decides whose actions they may edit)."""
    subject: dict[str, Any] = {
        "id": principal.account_id,
        "kind": principal.kind,
        "tenant": principal.tenant,
        "mfa": principal.mfa,
        "group_roles": dict(group_roles or {}),
    }
    if principal.agency:
        subject["agency"] = principal.agency
    return subject


def authorize(
    opa: OpaClient,
    principal: Principal,
    action: str,
    resource: Mapping[str, Any],
    group_roles: Mapping[str, list[str]] | None = None,
) -> Decision:
    """Return the allowing decision, or raise a 403 problem that names only what the caller
    can act on (a second factor); every reason is logged with the request's correlation id.

    A resource of another tenant is answered 404, so its existence is not confirmed.
    """
    decision = opa.decide(subject_of(principal, group_roles), action, resource)
    if decision.allow:
        return decision
    if UNAVAILABLE in decision.reasons:  # no decision at all: refused, but for a while only
        raise AuthorizationUnavailable()
    _log.info(
        "authorization_refused",
        action=action,
        reasons=sorted(decision.reasons),
        decision_id=decision.decision_id,
    )
    if (
        resource.get("tenant") not in (None, principal.tenant)
        and "cross_tenant" in decision.reasons
    ):
        raise Problem(404, detail="No such resource.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    raise Refused(decision)


def refuse_listing_for_an_actionable_reason(
    opa: OpaClient, principal: Principal, action: str
) -> None:
    """Before filtering a list: a caller whom the policy refuses `action` for a reason they can
    act on (no second factor) is told so, rather than given an empty list. Only asked without a
    second factor, the one such reason today."""
    if principal.mfa:
        return
    decision = opa.decide(subject_of(principal), action, {"tenant": principal.tenant})
    if not decision.allow and ACTIONABLE_REASONS.intersection(decision.reasons):
        raise Refused(decision)


class AuthorizationUnavailable(Problem):
    """OPA could not be asked: nothing is allowed, and the caller is told to try again (503
    with Retry-After) rather than that they may not (403)."""

    def __init__(self) -> None:
        super().__init__(
            503,
            detail="Access cannot be checked right now; try again shortly.",
            type_uri=PROBLEM_TYPE_BASE + "unavailable",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


class Refused(Problem):
    """The 403 for a deny. `reasons` holds all of the policy's reasons, for the service to put
    one in words (it is never sent); the body has a stable type, and only the reasons the
    caller can act on. When `conceal` is set the service answers its unknown id's 404 instead
    (the policy decided the resource's existence must not leak)."""

    def __init__(self, decision: Decision) -> None:
        actionable = sorted(ACTIONABLE_REASONS.intersection(decision.reasons))
        if actionable:
            super().__init__(
                403,
                detail="Sign in with your second factor to do this.",
                type_uri=PROBLEM_TYPE_BASE + "mfa-required",
                reasons=actionable,
            )
        else:
            super().__init__(
                403, detail="This is not allowed.", type_uri=PROBLEM_TYPE_BASE + "forbidden"
            )
        self.reasons = frozenset(decision.reasons)
        self.conceal = decision.conceal
