"""Your account: who you are signed in as; and `/home`, where signing in lands when there is
no page to go back to."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.token_claims import claims_of
from snp_portal.entrypoints.pages import STAFF_NAVIGATION, render
from snp_portal.entrypoints.web import portal, see_other, signed_in

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


@router.get("/home")
def home(request: Request) -> Response:
    """A staff account's console (its first menu item), anyone else's account page. A staff
    account still without its second factor is sent on from the console to enrol."""
    user = signed_in(request)
    console = STAFF_NAVIGATION.get(claims_of(user.token).kind)
    return see_other(console[0][0] if console else "/account")
