"""Your account: who you are signed in as."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import portal, signed_in

router = APIRouter()

KIND_LABELS = {
    "member": "Member",
    "area_coordinator": "Area coordinator",
    "police": "Police officer",
    "tenant_admin": "Force administrator",
    "auditor": "Auditor",
    "partner": "Partner agency officer",
    "operator": "Operator",
}


@router.get("/account")
def account(request: Request) -> Response:
    user = signed_in(request)
    me = portal(request).identity.me(user.token)
    return render(
        request,
        "account.html",
        title="Your account",
        active="account",
        account=me,
        kind_label=KIND_LABELS.get(me.kind, me.kind),
        errors={},
    )
