"""REST: a member's inbox, preferences (with their consent per provider) and consent history."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from snp_messaging.domain.london import clock_text
from snp_messaging.domain.preferences import Preferences
from snp_messaging.entrypoints.dependencies import context, metadata
from snp_messaging.entrypoints.schemas import PollAnswerIn, PreferencesIn, RatingIn
from snp_messaging.service_layer import consent, feedback, preferences, reading
from snp_messaging.service_layer.context import NotFound
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/messaging", tags=["members"])


def _shown(prefs: Preferences) -> dict[str, Any]:
    quiet = prefs.quiet_hours
    return {
        "channels": list(prefs.channels),
        "areas": list(prefs.areas),
        "minimum_priority": prefs.minimum_priority.value,
        "digest": prefs.digest.value,
        "digest_below": prefs.digest_below.value,
        "quiet_hours": (
            {"start": clock_text(quiet.start), "end": clock_text(quiet.end)} if quiet else None
        ),
    }


@router.get("/inbox")
async def inbox(
    principal: CurrentPrincipal,
    request: Request,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """What the caller was sent, newest first (page on with `before` = the last id seen)."""
    messages = await run_in_threadpool(
        reading.inbox, context(request), principal, limit, str(before) if before else None
    )
    return {"messages": messages}


@router.get("/inbox/{message_id}")
async def inbox_message(
    message_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """One message the caller was sent, in full (404 for any other)."""
    try:
        return await run_in_threadpool(
            reading.inbox_message, context(request), principal, str(message_id)
        )
    except NotFound as error:
        raise Problem(
            404, detail="No such message.", type_uri=PROBLEM_TYPE_BASE + "not-found"
        ) from error


@router.put("/inbox/{message_id}/rating")
async def rate_message(
    message_id: uuid.UUID, body: RatingIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """The caller's rating of a message they were sent; a later one replaces it."""
    rating: dict[str, Any] = await run_in_threadpool(
        feedback.rate,
        context(request),
        principal,
        str(message_id),
        body.useful,
        body.comment,
        metadata(request, principal.account_id),
    )
    return rating


@router.post("/inbox/{message_id}/poll-answer", status_code=201)
async def answer_poll(
    message_id: uuid.UUID, body: PollAnswerIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """The caller's one answer to the poll of a message they were sent (409 for a second)."""
    choices = await run_in_threadpool(
        feedback.answer_poll,
        context(request),
        principal,
        str(message_id),
        body.choices,
        metadata(request, principal.account_id),
    )
    return {"choices": choices}


@router.get("/preferences")
async def get_preferences(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    found = await run_in_threadpool(preferences.read, context(request), principal)
    return {
        **_shown(found.preferences),
        "delivery_problems": found.delivery_problems,
        "wards": found.wards,
        "providers": found.providers,
    }


@router.put("/preferences")
async def put_preferences(
    body: PreferencesIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    choices = None if body.providers is None else [(p.id, p.on) for p in body.providers]
    quiet = body.quiet_hours
    timing = preferences.TimingChange(
        body.digest,
        body.digest_below,
        (quiet.start, quiet.end) if quiet else None,
        "quiet_hours" in body.model_fields_set,
    )
    prefs, providers = await run_in_threadpool(
        preferences.replace,
        context(request),
        principal,
        body.channels,
        body.areas,
        body.minimum_priority,
        metadata(request, principal.account_id),
        choices,
        timing,
    )
    return {**_shown(prefs), "providers": providers}


@router.get("/me/consent-history")
async def consent_history(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    """The caller's own changes of consent per provider, newest first."""
    changes = await run_in_threadpool(consent.history, context(request), principal)
    return {"changes": changes}
