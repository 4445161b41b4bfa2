"""Who has seen your contact details: every release identity recorded of the member's email
or phone, newest first, each in identity's words (`GET /identity/me/disclosures`), and the
member's own choices of who may message them (`GET /messaging/me/consent-history`). Identity,
messaging and the policy decide who may read them (the member themself only); this page only
shows them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import ServiceUnavailable
from snp_portal.domain.consent_wording import consent_words
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
    choices: list[dict[str, str]] | None = []
    if cursor is None:  # the choices beside the latest releases, not on every earlier page
        try:
            history = apis(request).messaging.get("/me/consent-history", user.token)
            choices = [consent_words(change) for change in history["changes"]]
        except ServiceUnavailable:
            choices = None  # the page says they cannot be shown now
    return render(
        request,
        "account_disclosures.html",
        title="Who has seen your contact details",
        active="account",
        disclosures=found["disclosures"],
        services=SERVICES,
        older=found["next_cursor"],
        paged=cursor is not None,
        choices=choices,
    )
