"""REST: a recipient's reply to a message in their inbox, and the reply team's threads (the
threads of a message, of the team, one thread, its answer and its handling)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from snp_messaging.entrypoints.dependencies import context, metadata
from snp_messaging.entrypoints.schemas import AnswerIn, ReplyIn
from snp_messaging.service_layer import replies, reply_team
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/messaging", tags=["replies"])


@router.post("/inbox/{message_id}/replies", status_code=201)
async def reply(
    message_id: uuid.UUID, body: ReplyIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """The caller's reply to a message they were sent, to its reply team (an anonymous one
    gets a reference back, and is recorded with no link to the account)."""
    asked = replies.ReplyAsked(body.text, body.share_contact, body.anonymous)
    # An anonymous reply's metadata is made in the use case: never the request's.
    posted: dict[str, Any] = await run_in_threadpool(
        replies.post_reply,
        context(request),
        principal,
        str(message_id),
        asked,
        metadata(request, principal.account_id),
    )
    return posted


@router.get("/messages/{message_id}/reply-threads")
async def message_threads(
    message_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """The threads of replies to a message, for its reply team."""
    found = await run_in_threadpool(
        reply_team.message_threads, context(request), principal, str(message_id)
    )
    return {"threads": found}


@router.get("/reply-threads")
async def team_threads(
    principal: CurrentPrincipal,
    request: Request,
    status: Literal["open", "handled"] | None = None,
) -> dict[str, Any]:
    """The threads of every message whose reply team the caller is on, newest first."""
    found = await run_in_threadpool(reply_team.team_threads, context(request), principal, status)
    return {"threads": found}


@router.get("/reply-threads/{thread_id}")
async def read_thread(
    thread_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    thread: dict[str, Any] = await run_in_threadpool(
        reply_team.read_thread, context(request), principal, str(thread_id)
    )
    return thread


@router.post("/reply-threads/{thread_id}/answers", status_code=201)
async def answer(
    thread_id: uuid.UUID, body: AnswerIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """The team's answer, to the thread's member only (their inbox, and by email)."""
    answered: dict[str, Any] = await run_in_threadpool(
        reply_team.answer,
        context(request),
        principal,
        str(thread_id),
        body.text,
        metadata(request, principal.account_id),
    )
    return answered


@router.post("/reply-threads/{thread_id}/handled")
async def mark_handled(
    thread_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    handled: dict[str, Any] = await run_in_threadpool(
        reply_team.mark_handled,
        context(request),
        principal,
        str(thread_id),
        metadata(request, principal.account_id),
    )
    return handled
