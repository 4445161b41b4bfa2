"""Staff lookups: police (or a tenant admin) find a member account of their force by its exact
email address, to name it a ward panel's first chair. The answer is the account id and display
name only; the policy says who may ask, and each answer given is recorded on the member's own
stream as a release of contact data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.schemas import EmailLookupIn
from snp_identity.service_layer import directory
from snp_platform.authz import authorize
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/identity", tags=["lookups"])


# A POST, not a GET: the email address stays out of addresses, logs and histories.
@router.post("/staff/member-lookups")
def find_member_by_email(
    body: EmailLookupIn, request: Request, who: CurrentPrincipal
) -> dict[str, Any]:
    resource = {
        "type": "account",
        "id": "member-lookup",
        "tenant": who.tenant,
        "target_kind": "member",
    }
    authorize(deps.opa(request), who, "identity.account.lookup", resource)
    found = directory.member_by_email(
        deps.context(request),
        who.tenant,
        body.email,
        who.account_id,
        deps.metadata(request, who.account_id),
        for_panel=body.for_panel,
    )
    if found is None:
        # The same answer for no account, a staff account, a disabled or erased one.
        raise Problem(
            404,
            detail="No member account of this force has that email address.",
            type_uri=PROBLEM_TYPE_BASE + "not-found",
        )
    account_id, display_name = found
    return {"account_id": account_id, "display_name": display_name}
