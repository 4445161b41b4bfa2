"""What the report pages share: the wards a report can go to (those with a ward panel the
public may see), the signed-in user's reports API, one report read (a refusal reads as an
unknown id: "Page not found"), and its timeline in words."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.reports import ReportsApi
from snp_portal.domain import reports as words
from snp_portal.domain.ward_priorities import CATEGORIES
from snp_portal.entrypoints.web import apis

_PAGES = 5  # membership lists 100 groups a page: 500 groups is more than any force has


def ward_choices(request: Request, tenant: str) -> dict[str, str]:
    """Ward names by ward code, of the force's visible ward panels, in name order. Engagement
    takes a report for a ward only when a ward panel covers it."""
    wards: dict[str, str] = {}
    params: dict[str, str | int] = {"limit": 100}
    for _ in range(_PAGES):
        found = apis(request).membership.get(f"/public/{tenant}/groups", params=params)
        for group in found["groups"]:
            if group["group_type"] == "ward_panel" and group.get("ward_code"):
                wards.setdefault(group["ward_code"], group.get("ward_name") or group["ward_code"])
        if not found.get("next_cursor"):
            break
        params["cursor"] = found["next_cursor"]
    return dict(sorted(wards.items(), key=lambda item: item[1]))


def reports_api(request: Request, token: str) -> ReportsApi:
    return ReportsApi(apis(request).engagement, token)


def found_or_404(read: Any, *args: Any) -> dict[str, Any]:
    """`read(*args)`, or the 404 page when engagement refuses (it answers 404 already to
    whoever may not read a report; an unknown id is the same)."""
    try:
        found: dict[str, Any] = read(*args)
    except Refusal as refused:
        if refused.status in (403, 404, 422):
            raise HTTPException(404) from refused
        raise
    return found


def described(report: dict[str, Any]) -> dict[str, Any]:
    """The report with its words: category, current step, and each step's."""
    steps = [
        {**step, "words": words.step_words(step), "tag": words.STEP_TAGS.get(step["status"], "")}
        for step in report.get("timeline", [])
    ]
    return {
        **report,
        "category_words": CATEGORIES.get(report["category"], report["category"]),
        "status_words": words.step_words(
            {"status": report["status"], "agency_name": report.get("agency_name") or ""}
        ),
        "status_tag": words.STEP_TAGS.get(report["status"], ""),
        "steps": steps,
    }
