"""Find a group: a force's public groups by name or ward, a page at a time, from membership's
public list (`GET /membership/public/{tenant}/groups`, no token: what the public may see)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain.groups import group_type_label, markings
from snp_portal.entrypoints.force_pages import maybe_signed_in, the_force
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import apis, with_query

router = APIRouter()

PAGE_SIZE = 20
MAX_SEARCH = 100  # membership's limit on both searches
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CURSOR = re.compile(r"[A-Za-z0-9_=-]{1,400}")


def _search_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, what in (("q", "Group name"), ("ward", "Ward")):
        if len(values[field]) > MAX_SEARCH:
            errors[field] = f"{what} must be {MAX_SEARCH} characters or fewer"
        elif _CONTROL.search(values[field]):
            errors[field] = f"{what} must only include letters, numbers, spaces and punctuation"
    return errors


@router.get("/forces/{tenant}/groups")
def find_groups(
    request: Request, tenant: str, q: str = "", ward: str = "", cursor: str = ""
) -> Response:
    force = the_force(request, tenant)
    maybe_signed_in(request)
    values = {"q": q.strip(), "ward": ward.strip()}
    errors = _search_errors(values)
    found: dict[str, Any] = {"groups": [], "next_cursor": None}
    if not errors:
        params: dict[str, str | int] = {"limit": PAGE_SIZE}
        if values["q"]:
            params["q"] = values["q"]
        if values["ward"]:
            params["ward_q"] = values["ward"]
        if _CURSOR.fullmatch(cursor):
            params["cursor"] = cursor
        try:
            found = apis(request).membership.get(f"/public/{force.slug}/groups", params=params)
        except Refusal as refused:
            if refused.status != 422:
                raise
            errors = {"q": "Those search words cannot be used. Change them and search again"}
    here = f"/forces/{force.slug}/groups"
    searched = {k: v for k, v in values.items() if v}
    groups = [
        {
            **group,
            "href": f"{here}/{group['group_id']}",
            "type_label": group_type_label(group["group_type"]),
            "markings": markings(group.get("approvals", []), force.display_name),
        }
        for group in found["groups"]
    ]
    next_cursor = found.get("next_cursor")
    return render(
        request,
        "find_groups.html",
        status_code=400 if errors else 200,
        title=f"Find a group in {force.display_name}",
        active="find",
        force_slug=force.slug,
        force_name=force.display_name,
        values=values,
        searched=bool(searched),
        groups=groups,
        next_href=with_query(here, **searched, cursor=next_cursor) if next_cursor else None,
        first_href=with_query(here, **searched) if cursor else None,
        errors=errors,
        error_items=error_list(errors),
    )
