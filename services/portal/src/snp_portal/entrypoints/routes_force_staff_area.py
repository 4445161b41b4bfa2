"""The wards an area coordinator covers, set by the force's tenant admin from the coordinator's
staff page. Membership keeps the area and decides (`membership.area.set`: a tenant admin, for
an area coordinator of the force); its 422 for a bad ward code comes back as the form's error,
and nothing is changed."""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.routes_force_staff import (
    CONSOLE,
    AccountId,
    staff_account,
    tenant_admin,
)
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
_SEPARATORS = re.compile(r"[\s,;]+")


def wards_typed(text: str) -> list[str]:
    """Ward codes as an admin types them: separated by commas, spaces or new lines."""
    return [code for code in _SEPARATORS.split(text.strip()) if code]


@router.get(CONSOLE + "/{account_id}/area")
def area_form(request: Request, account_id: AccountId) -> Response:
    staff = tenant_admin(request)
    account = staff_account(request, staff, account_id)
    if account["kind"] != "area_coordinator":
        raise HTTPException(404)
    area = apis(request).membership.get(f"/areas/{account_id}", staff.token)
    values = {"ward_codes": ", ".join(area["ward_codes"])}
    return _form(request, account, values, {})


@router.post(CONSOLE + "/{account_id}/area")
async def set_area(request: Request, account_id: AccountId) -> Response:
    user, form = await signed_in_form(request)
    staff = tenant_admin(request)
    account = staff_account(request, staff, account_id)
    typed = form.get("ward_codes", "")
    try:
        apis(request).membership.put(
            f"/areas/{account_id}", user.token, json={"ward_codes": wards_typed(typed)}
        )
    except Refusal as refused:
        if refused.status != 422:
            raise
        problem = "; ".join(m for _f, m in refused.problems) or refused.message
        errors = {"ward_codes": f"Enter ward codes like E05009317 ({problem})"}
        return _form(request, account, {"ward_codes": typed}, errors, 422)
    return see_other(f"{CONSOLE}/{account_id}?done=area-set")


def _form(
    request: Request,
    account: dict[str, object],
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render_form(
        request,
        "force_staff_area.html",
        errors,
        values,
        status_code,
        title=f"The wards {account['display_name']} covers",
        active="force-staff",
        account=account,
    )
