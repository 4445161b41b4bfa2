"""The partner console (officers of a force's partner agencies): which agency the partner acts
for. Identity names the agency from the partner's own token; the engagement pages (priorities,
events, reports passed to the agency) will join it here."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.domain.agencies import kind_name
from snp_portal.entrypoints.pages import force_shown, render
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis

router = APIRouter()
PARTNERS = frozenset({"partner"})


@router.get("/partner")
def partner_home(request: Request) -> Response:
    staff = signed_in_staff(request, PARTNERS)
    me = apis(request).identity.get("/me", staff.token)
    agency = apis(request).identity.get(f"/agencies/{me['agency_id']}", staff.token)
    force = force_shown(request)
    return render(
        request,
        "partner_home.html",
        title=f"You act for {agency['name']}",
        active="partner-home",
        agency=agency,
        kind_name=kind_name(agency["kind"]),
        force_name=force.display_name if force else staff.claims.tenant,
        errors={},
    )
