"""Your account: who you are signed in as; and `/home`, where signing in lands when there is
no page to go back to."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.token_claims import claims_of
from snp_portal.entrypoints.pages import STAFF_NAVIGATION, render
from snp_portal.entrypoints.web import apis, portal, see_other, signed_in, signed_in_form

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


@router.post("/account/association-sharing")
async def association_sharing(request: Request) -> Response:
    """A member's choice to share their contact details with the Neighbourhood Watch
    association (identity records it; an unticked box withdraws it)."""
    user, form = await signed_in_form(request)
    agreed = form.get("agreed") == "yes"
    apis(request).identity.put("/me/association-sharing", user.token, json={"agreed": agreed})
    return see_other("/account#association")


@router.get("/home")
def home(request: Request) -> Response:
    """A staff account's console (its first menu item), anyone else's account page. A staff
    account still without its second factor is sent on from the console to enrol."""
    user = signed_in(request)
    console = STAFF_NAVIGATION.get(claims_of(user.token).kind)
    return see_other(console[0][0] if console else "/account")
