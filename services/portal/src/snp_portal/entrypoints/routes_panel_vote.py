"""The members' vote on a ward panel's priorities for a period (docs/engagement.md, "The
members' vote"): members suggest priorities and vote for one; the panel's officers see the
counts, close the vote and make the candidates they choose priorities. This replaces the paper
survey. Being an officer only chooses what the page shows; engagement's policy decides every
change (a plain member's forged close meets its 403)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.engagement import EngagementApi
from snp_portal.domain import ward_priorities as words
from snp_portal.domain.periods import Quarter
from snp_portal.entrypoints.group_pages import GroupPage, render_group
from snp_portal.entrypoints.plan_pages import (
    engagement,
    form_text,
    period_links,
    period_of,
    refused_errors,
)
from snp_portal.entrypoints.routes_panel_priorities import panel_page
from snp_portal.entrypoints.web import see_other, signed_in, signed_in_form

router = APIRouter()
BANNERS = {
    "suggested": "Your suggestion is on the list. Members can now vote for it.",
    "voted": "Your vote is saved. You can change it until the vote closes.",
    "closed": "The vote is closed. Choose which suggestions become the panel's priorities.",
    "adopted": "The suggestion is now one of the panel's priorities for the period.",
}


def _ballot(api: EngagementApi, page: GroupPage, quarter: Quarter) -> dict[str, Any]:
    """The ballot, with the counts for the panel's officers; "Page not found" when engagement
    will not show it (as for a hidden group: a refusal reads like an unknown id)."""
    try:
        return api.ballot(page.group_id, quarter.code, with_counts=page.offers["officer"])
    except Refusal as refused:
        if refused.status in (403, 404, 422):
            raise HTTPException(404) from refused
        raise


def _vote_page(
    request: Request,
    page: GroupPage,
    period: str | None,
    banner: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    quarter = period_of(period)
    ballot = _ballot(engagement(request, signed_in(request)), page, quarter)
    base = f"/groups/{page.group_id}/priorities/vote"
    candidates = [
        {**c, "category_words": words.CATEGORIES.get(c["category"], c["category"])}
        for c in ballot["candidates"]
    ]
    mine = next((c for c in candidates if c["candidate_id"] == ballot["my_vote"]), None)
    return render_group(
        request,
        "panel_vote.html",
        page,
        "priorities",
        "Vote on the ward's priorities",
        status_code=status_code,
        errors=errors,
        title=f"Vote on the ward's priorities, {quarter.words}: {page.group['name']}",
        quarter=quarter,
        ballot=ballot,
        candidates=candidates,
        mine=mine,
        pagination=period_links(base, quarter),
        base=base,
        banner=BANNERS.get(banner or ""),
        values=values or {"category": ""},
        pw=words,
    )


def _after(page: GroupPage, quarter: Quarter, done: str) -> Response:
    return see_other(f"/groups/{page.group_id}/priorities/vote?period={quarter.code}&done={done}")


@router.get("/groups/{group_id:uuid}/priorities/vote")
def vote_page(
    request: Request, group_id: uuid.UUID, period: str | None = None, done: str | None = None
) -> Response:
    return _vote_page(request, panel_page(request, group_id), period, done)


@router.post("/groups/{group_id:uuid}/priorities/vote/suggestions")
async def suggest(request: Request, group_id: uuid.UUID, period: str = "") -> Response:
    user, form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    values = form_text(form, "title", "description", "category")
    errors = words.priority_errors(values)
    status = 400
    if not errors:
        try:
            engagement(request, user).propose(page.group_id, quarter.code, values)
        except Refusal as refused:
            errors, status = refused_errors(refused, "title"), refused.status
        else:
            return _after(page, quarter, "suggested")
    return _vote_page(request, page, quarter.code, None, errors, values, status)


@router.post("/groups/{group_id:uuid}/priorities/vote")
async def vote(request: Request, group_id: uuid.UUID, period: str = "") -> Response:
    user, form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    chosen = form.get("candidate", "").strip()
    if not chosen:
        errors = {"candidate": "Select the priority you vote for"}
        return _vote_page(request, page, quarter.code, None, errors, status_code=400)
    try:
        engagement(request, user).vote(page.group_id, quarter.code, chosen)
    except Refusal as refused:
        errors = refused_errors(refused, "candidate")
        return _vote_page(request, page, quarter.code, None, errors, status_code=refused.status)
    return _after(page, quarter, "voted")


@router.post("/groups/{group_id:uuid}/priorities/vote/close")
async def close(request: Request, group_id: uuid.UUID, period: str = "") -> Response:
    user, _form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    try:
        engagement(request, user).close_vote(page.group_id, quarter.code)
    except Refusal as refused:
        errors = refused_errors(refused, "close")
        return _vote_page(request, page, quarter.code, None, errors, status_code=refused.status)
    return _after(page, quarter, "closed")


@router.post("/groups/{group_id:uuid}/priorities/vote/{candidate_id}/adopt")
async def adopt(
    request: Request, group_id: uuid.UUID, candidate_id: str, period: str = ""
) -> Response:
    user, _form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    try:
        engagement(request, user).adopt(page.group_id, quarter.code, candidate_id)
    except Refusal as refused:
        errors = refused_errors(refused, "candidates")
        return _vote_page(request, page, quarter.code, None, errors, status_code=refused.status)
    return _after(page, quarter, "adopted")
