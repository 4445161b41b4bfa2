"""Force administration (tenant admins): the force's partner agencies — the list, adding one,
renaming one and retiring one. Identity and the policy decide; a retired agency keeps its
history and its partners can no longer sign in (said on the page that asks to confirm it)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain import agencies as words
from snp_portal.entrypoints.pages import render, render_form
from snp_portal.entrypoints.routes_force_staff import tenant_admin
from snp_portal.entrypoints.staff import Staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
AgencyId = Annotated[uuid.UUID, Path()]
AGENCIES = "/force-admin/agencies"


def agency(request: Request, staff: Staff, agency_id: uuid.UUID) -> dict[str, Any]:
    """One agency of the caller's force; 404 for an unknown one and another force's alike."""
    try:
        found: dict[str, Any] = apis(request).identity.get(f"/agencies/{agency_id}", staff.token)
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        raise
    return found


@router.get(AGENCIES)
def agency_list(request: Request) -> Response:
    staff = tenant_admin(request)
    found = apis(request).identity.get("/agencies", staff.token)["agencies"]
    return render(
        request,
        "force_agencies.html",
        title="Partner agencies",
        active="force-agencies",
        agencies=found,
        words=words,
        done=request.query_params.get("done", ""),
        errors={},
    )


@router.get(AGENCIES + "/new")
def new_form(request: Request) -> Response:
    tenant_admin(request)
    return _form(request, "force_agency_new.html", title="Add a partner agency")


def _form(
    request: Request,
    template: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    return render_form(
        request,
        template,
        errors,
        values,
        status_code,
        active="force-agencies",
        kinds=words.KIND_NAMES,
        **context,
    )


@router.post(AGENCIES + "/new")
async def add(request: Request) -> Response:
    _user, form = await signed_in_form(request)
    staff = tenant_admin(request)
    values = {f: form.get(f, "") for f in ("name", "kind")}
    errors: dict[str, str] = {}
    if not values["name"].strip():
        errors["name"] = "Enter the agency's name"
    if values["kind"] not in words.KIND_NAMES:
        errors["kind"] = "Select the kind of agency"
    if not errors:
        try:
            await run_in_threadpool(
                apis(request).identity.post, "/agencies", staff.token, json=values
            )
            return see_other(f"{AGENCIES}?done=added")
        except Refusal as refused:
            if refused.status == 403:
                raise
            taken = refused.kind == "agency-name-taken"
            errors = words.form_errors(refused.problems, taken, refused.message)
    return _form(
        request, "force_agency_new.html", values, errors, 400, title="Add a partner agency"
    )


@router.get(AGENCIES + "/{agency_id}")
def agency_page(request: Request, agency_id: AgencyId) -> Response:
    staff = tenant_admin(request)
    found = agency(request, staff, agency_id)
    return _form(
        request,
        "force_agency.html",
        {"name": found["name"]},
        title=found["name"],
        agency=found,
        words=words,
    )


@router.post(AGENCIES + "/{agency_id}")
async def rename(request: Request, agency_id: AgencyId) -> Response:
    _user, form = await signed_in_form(request)
    staff = tenant_admin(request)
    found = agency(request, staff, agency_id)
    values = {"name": form.get("name", "")}
    errors: dict[str, str] = {}
    if not values["name"].strip():
        errors["name"] = "Enter the agency's name"
    else:
        try:
            await run_in_threadpool(
                apis(request).identity.patch,
                f"/agencies/{agency_id}",
                staff.token,
                json=values,
            )
            return see_other(f"{AGENCIES}?done=renamed")
        except Refusal as refused:
            if refused.status in (403, 404):
                raise
            taken = refused.kind == "agency-name-taken"
            errors = {"name": words.form_errors(refused.problems, taken, refused.message)["name"]}
    return _form(
        request,
        "force_agency.html",
        values,
        errors,
        400,
        title=found["name"],
        agency=found,
        words=words,
    )


@router.get(AGENCIES + "/{agency_id}/retire")
def retire_page(request: Request, agency_id: AgencyId) -> Response:
    staff = tenant_admin(request)
    found = agency(request, staff, agency_id)
    if found["status"] != "active":
        return see_other(f"{AGENCIES}/{agency_id}")
    return render(
        request,
        "force_agency_retire.html",
        title=f"Retire {found['name']}?",
        active="force-agencies",
        agency=found,
        errors={},
    )


@router.post(AGENCIES + "/{agency_id}/retire")
async def retire(request: Request, agency_id: AgencyId) -> Response:
    await signed_in_form(request)
    staff = tenant_admin(request)
    try:
        await run_in_threadpool(
            apis(request).identity.post, f"/agencies/{agency_id}/retire", staff.token
        )
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        if refused.status != 409:  # 409: retired already, by someone else a moment ago
            raise
    return see_other(f"{AGENCIES}?done=retired")
