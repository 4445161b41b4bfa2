"""The police admin panel: the force's groups (hidden ones included) by filter, and a group's
membership read-only with the police side of each marking to set or withdraw. There is no
control here to admit, remove or appoint; membership's policy refuses police those anyway."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.police import PoliceApi
from snp_portal.domain import groups as words
from snp_portal.domain import police_filters as filtering
from snp_portal.domain import police_markings as marking_words
from snp_portal.entrypoints.group_forms import as_uuid, form_version
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
POLICE = frozenset({"police"})


def _police(request: Request) -> tuple[Staff, PoliceApi]:
    staff = signed_in_staff(request, POLICE)
    return staff, PoliceApi(apis(request), staff.token)


@router.get("/police/groups")
def force_groups(request: Request, cursor: str | None = None) -> Response:
    _staff, api = _police(request)
    filters = filtering.read_filters(dict(request.query_params))
    page: dict[str, Any] = {"groups": [], "next_cursor": None}
    if not filters.errors:
        try:
            page = api.groups(filters.query, cursor)
        except Refusal as refused:  # a cursor this list never handed out
            if refused.status != 422:
                raise
            filters = filtering.GroupFilters(filters.values, {}, {"q": "Start the search again"})
    next_cursor = str(page["next_cursor"]) if page.get("next_cursor") else None
    return render(
        request,
        "police_groups.html",
        status_code=400 if filters.errors else 200,
        title="The force's groups",
        active="police-groups",
        filters=filters,
        choices=filtering.CHOICES,
        flags=filtering.FLAGS,
        groups=page["groups"],
        next_href=(
            "/police/groups?" + urlencode(filtering.page_query(filters, next_cursor))
            if next_cursor
            else None
        ),
        first_href=(
            "/police/groups?" + urlencode(filtering.page_query(filters)) if cursor else None
        ),
        words=words,
        errors=filters.errors,
        error_items=error_list(filters.errors),
    )


def _group_page(
    request: Request,
    api: PoliceApi,
    group_id: str,
    cursor: str | None = None,
    banner: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        group = api.group(group_id)
        officers = api.officers(group_id)
        members = api.members(group_id, cursor)
    except Refusal as refused:
        if refused.status in (403, 404, 422):
            raise HTTPException(404) from refused
        raise
    force = str(group.get("tenant_name") or group.get("tenant") or "the police")
    return render(
        request,
        "police_group.html",
        status_code=status_code,
        title=f"Membership: {group['name']}",
        active="police-groups",
        group=group,
        officers=officers,
        members=members["members"],
        next_cursor=members.get("next_cursor"),
        force_name=force,
        words=words,
        marks=marking_words,
        banner=banner,
        errors=errors or {},
        error_items=error_list(errors or {}),
    )


@router.get("/police/groups/{group_id:uuid}")
def group_membership(
    request: Request,
    group_id: uuid.UUID,
    cursor: str | None = None,
    done: str | None = None,
    subject: str | None = None,
) -> Response:
    _staff, api = _police(request)
    banner = marking_words.banner(done, subject)
    return _group_page(request, api, str(group_id), cursor, banner)


@router.post("/police/groups/{group_id:uuid}/markings")
async def change_marking(request: Request, group_id: uuid.UUID) -> Response:
    _user, form = await signed_in_form(request)
    _staff, api = _police(request)
    subject, change = form.get("subject", ""), form.get("change", "")
    account_id = as_uuid(form.get("account_id"))
    if (
        subject not in marking_words.SUBJECTS
        or change not in ("mark", "withdraw")
        or (subject != "group") != (account_id is not None)
    ):
        errors = {"markings": "Choose a marking from the page"}
        return _group_page(request, api, str(group_id), errors=errors, status_code=400)
    try:
        api.change_marking(
            str(group_id), subject, account_id, change == "withdraw", form_version(form)
        )
    except Refusal as refused:
        errors = {"markings": marking_words.refusal_words(refused)}
        return _group_page(request, api, str(group_id), errors=errors, status_code=refused.status)
    done = "marked" if change == "mark" else "withdrawn"
    return see_other(f"/police/groups/{group_id}?done={done}&subject={subject}")
