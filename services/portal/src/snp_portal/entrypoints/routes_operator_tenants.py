"""The operator's tenants (council IT): the forces registered with identity, registering one,
and adding its first administrator. Identity and the policy decide; a second administrator is
identity's 409 `tenant-has-admin`, said on the page as identity says it."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain.form_problems import registration_errors
from snp_portal.domain.refusals import sentence
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
OPERATORS = frozenset({"operator"})
# Identity's own rule for slugs (domain/tenants.py), told before identity is asked.
SLUG = re.compile(r"[a-z][a-z0-9-]{1,48}[a-z0-9]")
Slug = Annotated[str, Path(pattern=SLUG.pattern)]
_SLUG_RULE = (
    "The short name must be 3 to 50 lowercase letters, numbers and dashes,"
    " starting with a letter and not ending with a dash"
)


def _operator(request: Request) -> Staff:
    return signed_in_staff(request, OPERATORS)


@router.get("/operator")
def console(request: Request) -> Response:
    _operator(request)
    return see_other("/operator/tenants")


@router.get("/operator/tenants")
def tenants(request: Request) -> Response:
    staff = _operator(request)
    found = apis(request).identity.get("/tenants", staff.token)["tenants"]
    return render(
        request,
        "operator_tenants.html",
        title="Tenants",
        active="operator-tenants",
        tenants=found,
        registered=request.query_params.get("registered"),
        errors={},
    )


def _new_form(
    request: Request,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "operator_tenant_new.html",
        status_code=status_code,
        title="Register a tenant",
        active="operator-tenants",
        values=values or {},
        errors=errors or {},
        error_items=error_list(errors or {}),
    )


@router.get("/operator/tenants/new")
def new_tenant_form(request: Request) -> Response:
    _operator(request)
    return _new_form(request)


@router.post("/operator/tenants/new")
async def register_tenant(request: Request) -> Response:
    _user, form = await signed_in_form(request)
    staff = _operator(request)
    values = {"slug": form.get("slug", "").strip(), "display_name": form.get("display_name", "")}
    values["display_name"] = values["display_name"].strip()
    errors: dict[str, str] = {}
    if not values["slug"]:
        errors["slug"] = "Enter the force's short name"
    elif not SLUG.fullmatch(values["slug"]):
        errors["slug"] = _SLUG_RULE
    if not values["display_name"]:
        errors["display_name"] = "Enter the force's name"
    elif len(values["display_name"]) > 200:
        errors["display_name"] = "The force's name must be 200 characters or fewer"
    if not errors:
        try:
            await run_in_threadpool(
                apis(request).identity.post, "/tenants", staff.token, json=values
            )
        except Refusal as refused:
            if refused.status == 403:
                raise
            errors = {"slug": sentence(refused.message)}
            return _new_form(request, values, errors, refused.status)
        return see_other(f"/operator/tenants/{values['slug']}/administrator?registered=1")
    return _new_form(request, values, errors, 400)


def _admin_form(
    request: Request,
    slug: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "operator_tenant_admin.html",
        status_code=status_code,
        title="Add the force's first administrator",
        active="operator-tenants",
        slug=slug,
        registered=request.query_params.get("registered"),
        values=values or {},
        errors=errors or {},
        error_items=error_list(errors or {}),
    )


@router.get("/operator/tenants/{slug}/administrator")
def admin_form(request: Request, slug: Slug) -> Response:
    _operator(request)
    return _admin_form(request, slug)


_ADMIN_REQUIRED = {
    "name": "Enter the administrator's name",
    "email": "Enter the administrator's email address",
    "password": "Enter a password for their first sign-in",
}


@router.post("/operator/tenants/{slug}/administrator")
async def add_admin(request: Request, slug: Slug) -> Response:
    _user, form = await signed_in_form(request)
    staff = _operator(request)
    values = {"name": form.get("name", "").strip(), "email": form.get("email", "").strip()}
    password = form.get("password", "")
    given = {**values, "password": password}
    errors = {f: message for f, message in _ADMIN_REQUIRED.items() if not given[f]}
    if errors:
        return _admin_form(request, slug, values, errors, 400)
    body = {
        "display_name": values["name"],
        "email": values["email"],
        "password": password,
        "kind": "tenant_admin",
        "tenant": slug,
    }
    try:
        await run_in_threadpool(apis(request).identity.post, "/accounts", staff.token, json=body)
    except Refusal as refused:
        if refused.status == 403:
            raise
        if refused.kind == "tenant-has-admin":
            errors = {"name": sentence(refused.message)}
        elif refused.status == 404:
            errors = {"name": f"There is no force with the short name {slug}."}
        else:  # 422 (a weak password, a malformed or taken email) and 409
            errors = registration_errors(list(refused.problems) or [("", refused.message)])
        return _admin_form(request, slug, values, errors, refused.status)
    return see_other(f"/operator/tenants?registered={slug}")
