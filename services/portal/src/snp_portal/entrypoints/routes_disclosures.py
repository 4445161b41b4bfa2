"""Who has seen your contact details: every release identity recorded of the member's email
or phone, newest first, each in identity's words (`GET /identity/me/disclosures`). Identity
and the policy decide who may read it (the member themself only); this page only shows it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.entrypoints.group_forms import as_uuid
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import apis, signed_in

router = APIRouter()

PAGE = 25
SERVICES = {"messaging": "Messages", "identity": "Accounts"}


@router.get("/account/disclosures")
def disclosures(request: Request, after: str | None = None) -> Response:
    user = signed_in(request)
    cursor = as_uuid(after)
    params: dict[str, str | int] = {"limit": PAGE, **({"cursor": cursor} if cursor else {})}
    found = apis(request).identity.get("/me/disclosures", user.token, params=params)
    return render(
        request,
        "account_disclosures.html",
        title="Who has seen your contact details",
        active="account",
        disclosures=found["disclosures"],
        services=SERVICES,
        older=found["next_cursor"],
        paged=cursor is not None,
    )
