"""A ward's public page `/public/{tenant}/wards/{ward}`: what its panel published, for anyone,
signed in or not: each published period's priorities in order, the actions against them (by
which agency, what, when, their status and outcome) and the panel's reviews. Never a member,
an account or a hidden panel's name: engagement's public answer holds none of them."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.engagement import ward_priorities
from snp_portal.domain import periods
from snp_portal.domain import ward_priorities as words
from snp_portal.entrypoints.force_pages import maybe_signed_in, the_force
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import apis

router = APIRouter()
_WARD = re.compile(r"^[A-Za-z0-9]{1,16}$")  # engagement's ward codes (ONS codes)


def _ward_name(request: Request, tenant: str, ward: str) -> str:
    """The ward's name from a visible group in it (membership's public listing), else its code."""
    try:
        found = apis(request).membership.get(
            f"/public/{tenant}/groups", params={"ward_q": ward, "limit": 20}
        )
    except Refusal:
        return ward
    names = [g["ward_name"] for g in found["groups"] if g.get("ward_code") == ward]
    return str(names[0]) if names else ward


@router.get("/public/{tenant}/wards/{ward}")
def ward_page(request: Request, tenant: str, ward: str) -> Response:
    force = the_force(request, tenant)
    maybe_signed_in(request)  # the header's menu
    if not _WARD.match(ward):
        raise HTTPException(404)
    try:
        found = ward_priorities(apis(request).engagement, force.slug, ward)
    except Refusal as refused:  # no ward panel of this force in that ward
        if refused.status in (404, 422):
            raise HTTPException(404) from refused
        raise
    plans: list[dict[str, Any]] = []
    for plan in found["plans"]:
        quarter = periods.parse(plan["period"])
        plans.append(
            {
                **plan,
                "words": quarter.words if quarter else plan["period"],
                "priorities": words.described(plan, {}),
            }
        )
    ward_name = _ward_name(request, force.slug, ward)
    return render(
        request,
        "ward_public.html",
        title=f"Ward priorities in {ward_name}",
        active="find",
        force_name=force.display_name,
        force_slug=force.slug,
        ward_name=ward_name,
        ward_code=ward,
        plans=plans,
        errors={},
    )
