"""What the report pages share: the signed-in user's reports API, one report read (a refusal
reads as an unknown id: "Page not found"), and its timeline in words."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.reports import ReportsApi
from snp_portal.domain import reports as words
from snp_portal.domain.ward_priorities import CATEGORIES
from snp_portal.entrypoints.web import apis

_CURSOR = re.compile(r"^[A-Za-z0-9\-]{1,64}$")  # engagement's cursors are report ids


def page_links(path: str, params: dict[str, str], cursor: str, next_cursor: str | None) -> Any:
    """The GOV.UK pagination's links: "Older reports" (engagement's next cursor) and, past
    the first page, "Newest reports"; the other parameters (the ward) kept."""
    first = f"{path}?{urlencode(params)}" if params else path
    older = f"{path}?{urlencode({**params, 'cursor': next_cursor})}" if next_cursor else None
    return {
        "next": {"href": older, "text": "Older reports"} if older else None,
        "previous": {"href": first, "text": "Newest reports"} if cursor else None,
        "landmarkLabel": "Pages of reports",
    }


def cursor_of(text: str) -> str:
    """A cursor as engagement hands them out, else the first page."""
    return text if _CURSOR.match(text) else ""


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
        **({"when_words": words.when_words(report)} if "happened_at" in report else {}),
    }
