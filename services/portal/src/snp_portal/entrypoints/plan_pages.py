"""What the ward-priority pages share: the period a page is about (`?period=2027-Q1`, by default
today's quarter in UK time), its previous and next links, a plan read from engagement, and the
one priority or action a page is about (else "Page not found")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import HTTPException, Request

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.engagement import EngagementApi
from snp_portal.domain import periods
from snp_portal.domain import ward_priorities as words
from snp_portal.domain.dates import UK
from snp_portal.entrypoints.web import SignedIn, apis


def engagement(request: Request, user: SignedIn | str) -> EngagementApi:
    token = user if isinstance(user, str) else user.token
    return EngagementApi(apis(request).engagement, token)


def period_of(raw: str | None) -> periods.Quarter:
    """The quarter asked for, today's when none; a period that is no quarter is not a page."""
    if not raw:
        return periods.quarter_of(datetime.now(UK).date())
    found = periods.parse(raw)
    if found is None:
        raise HTTPException(404)
    return found


def period_links(base: str, quarter: periods.Quarter) -> dict[str, Any]:
    """The previous and next quarters' pages (`base` is the page without its query)."""
    before, after = quarter.previous(), quarter.next()
    return {
        "previous": {"href": f"{base}?period={before.code}", "labelText": before.words}
        if before
        else None,
        "next": {"href": f"{base}?period={after.code}", "labelText": after.words}
        if after
        else None,
    }


def read_plan(api: EngagementApi, group_id: str, quarter: periods.Quarter) -> dict[str, Any]:
    """The plan, or "Page not found" when engagement will not show it (as for a hidden group:
    a refusal reads like an unknown id)."""
    try:
        return api.plan(group_id, quarter.code)
    except Refusal as refused:
        if refused.status in (403, 404, 422):
            raise HTTPException(404) from refused
        raise


def priority_in(plan: dict[str, Any], priority_id: str) -> dict[str, Any]:
    for priority in plan["priorities"]:
        if priority["priority_id"] == priority_id:
            return dict(priority)
    raise HTTPException(404)


def action_in(plan: dict[str, Any], action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The action and the priority it is recorded against."""
    for priority in plan["priorities"]:
        for action in priority["actions"]:
            if action["action_id"] == action_id:
                return dict(action), dict(priority)
    raise HTTPException(404)


def form_text(form: dict[str, str], *names: str) -> dict[str, str]:
    """The form's fields, trimmed, with Windows line ends made plain."""
    return {n: form.get(n, "").strip().replace("\r\n", "\n") for n in names}


def refused_errors(refused: Refusal, fallback: str) -> dict[str, str]:
    """Engagement's refusal as the form's errors (domain/ward_priorities.py words it)."""
    return words.refusal_errors(
        refused.status, refused.kind, refused.problems, refused.message, fallback
    )
