"""Police found a ward panel and name its first chair: a member account of the force found by
its exact email address (identity's staff lookup, which records what it releases). First the
panel's details and the chair's email; then the chair's name to confirm; then membership
founds it. Membership and the policy decide who may found a panel and who may chair it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.police import PoliceApi
from snp_portal.domain.form_problems import founding_errors
from snp_portal.domain.refusals import sentence
from snp_portal.entrypoints.group_forms import as_uuid
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
POLICE = frozenset({"police"})

PANEL_FIELDS = ("name", "description", "ward_name", "ward_code", "visibility")
_REQUIRED = {
    "name": "Enter the panel's name",
    "ward_name": "Enter the ward's name",
    "ward_code": "Enter the ward's code",
    "visibility": "Select who can find the panel",
    "chair_email": "Enter the email address of the panel's first chair",
}
NO_SUCH_MEMBER = (
    "No resident's account in this force has that email address. "
    "Check it with them: it must be the address they sign in with"
)


def _page(
    request: Request,
    template: str,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    chair: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        template,
        status_code=status_code,
        title="Found a ward panel" if template == "police_found_panel.html" else "Check the panel",
        active="police-found",
        values=values,
        chair=chair,
        errors=errors or {},
        error_items=error_list(errors or {}),
    )


@router.get("/police/ward-panels/new")
def panel_form(request: Request) -> Response:
    signed_in_staff(request, POLICE)
    return _page(request, "police_found_panel.html", {"visibility": "public"})


@router.post("/police/ward-panels/new")
async def found_panel(request: Request) -> Response:
    _user, form = await signed_in_form(request)
    staff = signed_in_staff(request, POLICE)
    api = PoliceApi(apis(request), staff.token)
    values = {f: form.get(f, "").strip() for f in (*PANEL_FIELDS, "chair_email")}
    values["description"] = form.get("description", "")
    errors = {f: text for f, text in _REQUIRED.items() if not values[f]}
    if errors or form.get("step") == "change":
        status = 400 if errors and form.get("step") != "change" else 200
        return _page(request, "police_found_panel.html", values, errors, status)
    if form.get("step") != "found":
        chair = api.member_by_email(values["chair_email"], values["name"])
        if chair is None:
            errors = {"chair_email": NO_SUCH_MEMBER}
            return _page(request, "police_found_panel.html", values, errors, 404)
        return _page(request, "police_panel_check.html", values, chair=chair)
    chair_id = as_uuid(form.get("chair_account_id"))
    if chair_id is None:
        errors = {"chair_email": "Find the panel's first chair by their email address"}
        return _page(request, "police_found_panel.html", values, errors, 400)
    try:
        group_id = api.found_ward_panel({f: values[f] for f in PANEL_FIELDS}, chair_id)
    except Refusal as refused:
        if refused.status == 422:
            errors = founding_errors(list(refused.problems), sentence(refused.message))
            errors = {("chair_email" if f == "group_type" else f): t for f, t in errors.items()}
        elif refused.status == 403:
            errors = {"name": "Your account cannot found a ward panel"}
        else:  # 409: e.g. the chair's account is not one membership knows yet
            errors = {"chair_email": sentence(refused.message)}
        return _page(request, "police_found_panel.html", values, errors, refused.status)
    return see_other(f"/police/groups/{group_id}?done=founded")
