"""A group's settings, for its chair or coordinators: name, description, who can find it,
whether it takes requests to join, and who sees the member list."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import groups as words
from snp_portal.entrypoints.group_forms import form_version, refusal_errors
from snp_portal.entrypoints.group_pages import GroupPage, group_page, render_group
from snp_portal.entrypoints.web import see_other, signed_in_form

router = APIRouter()
MAX_NAME, MAX_DESCRIPTION = 120, 2000  # membership's limits (docs/membership.md)


def _settings_page(
    request: Request,
    page: GroupPage,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_group(
        request,
        "group_settings.html",
        page,
        "overview",
        "Change the group's settings",
        status_code=status_code,
        errors=errors,
        values=values,
    )


@router.get("/groups/{group_id:uuid}/settings")
def settings_form(request: Request, group_id: uuid.UUID) -> Response:
    page = group_page(request, group_id)
    fields = ("name", "description", "visibility", "directory", "status")
    return _settings_page(request, page, {k: str(page.group.get(k) or "") for k in fields})


def _problems(values: dict[str, str], ward_panel: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the group's name"
    elif len(values["name"]) > MAX_NAME:
        errors["name"] = f"The group's name must be {MAX_NAME} characters or fewer"
    if len(values["description"]) > MAX_DESCRIPTION:
        errors["description"] = f"The description must be {MAX_DESCRIPTION} characters or fewer"
    if values["visibility"] not in words.VISIBILITY:
        errors["visibility"] = "Choose who can find the group"
    if values["status"] not in words.STATUS:
        errors["status"] = "Choose whether the group takes requests to join"
    if not ward_panel and values["directory"] not in words.DIRECTORY:
        errors["directory"] = "Choose who sees the member list"
    return errors


@router.post("/groups/{group_id:uuid}/settings")
async def change_settings(request: Request, group_id: uuid.UUID) -> Response:
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    ward_panel = page.group["group_type"] == "ward_panel"
    values = {k: form.get(k, "").strip() for k in ("name", "visibility", "directory", "status")}
    values["description"] = form.get("description", "").strip().replace("\r\n", "\n")
    errors = _problems(values, ward_panel)
    if errors:
        return _settings_page(request, page, values, errors, 400)
    changes: dict[str, Any] = {
        "name": values["name"],
        "description": values["description"],
        "visibility": values["visibility"],
    }
    if not ward_panel:  # a ward panel's members always see its member list
        changes["directory"] = values["directory"]
    if values["status"] == "closed" and page.group["status"] != "closed":
        changes["status"] = "closed"
    try:
        page.api.update(page.group_id, changes, form_version(form))
    except Refusal as refused:
        errors = refusal_errors(refused, "name")
        return _settings_page(request, page, values, errors, refused.status)
    return see_other(f"/groups/{page.group_id}?done=settings")
