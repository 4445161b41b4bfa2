"""Found a group (membership's `POST /membership/groups`): a Neighbourhood Watch group, whose
founder becomes its coordinator, or a community group, whose founder becomes its chair.
Membership and the policy decide who may found which kind; ward panels are police's."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain.form_problems import founding_errors
from snp_portal.domain.refusals import sentence
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.web import apis, see_other, signed_in, signed_in_form

router = APIRouter()

_FIELDS = ("group_type", "name", "description", "ward_name", "ward_code", "visibility")
_REQUIRED = {
    "group_type": "Select the kind of group you are starting",
    "name": "Enter the group's name",
    "ward_name": "Enter the ward's name",
    "ward_code": "Enter the ward's code",
    "visibility": "Select who can find the group",
}


def _form(
    request: Request,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    values = values or {"visibility": "public"}
    return render_form(
        request,
        "found_group.html",
        errors,
        values,
        status_code,
        title="Start a group",
        active="groups",
    )


@router.get("/groups/new")
def found_form(request: Request) -> Response:
    signed_in(request)
    return _form(request)


@router.post("/groups/new")
async def found(request: Request) -> Response:
    user, form = await signed_in_form(request)
    values = {f: form.get(f, "").strip() for f in _FIELDS}
    values["description"] = form.get("description", "")
    errors = {f: message for f, message in _REQUIRED.items() if not values[f]}
    if errors:
        return _form(request, values, errors, 400)
    # Whatever kind was posted goes to membership: the policy, not this page, refuses a ward
    # panel founded by a member.
    try:
        made = apis(request).membership.post("/groups", user.token, json=values).json()
    except Refusal as refused:
        if refused.status == 422:
            errors = founding_errors(list(refused.problems), sentence(refused.message))
        elif refused.status == 403:
            errors = {"group_type": "Your account cannot start this kind of group"}
        else:  # 409: e.g. membership has not heard of the force yet
            errors = {"group_type": sentence(refused.message)}
        return _form(request, values, errors, refused.status)
    return see_other(f"/groups/{made['group_id']}")
