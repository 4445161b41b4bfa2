"""A recipient answers a message's poll and rates the message, from its page in their inbox.
Messaging decides (one answer each, recipients only); the page shows what it refused beside
the field, and nothing is recorded on an error."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain.message_feedback import MAX_COMMENT, choices_of_form
from snp_portal.entrypoints.group_pages import Id
from snp_portal.entrypoints.routes_inbox import message_page
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()


@router.post("/inbox/{message_id}/poll")
async def answer_poll(request: Request, message_id: Id) -> Response:
    user, _fields = await signed_in_form(request)
    posted = [str(v) for v in (await request.form()).getlist("choices")]
    messaging = apis(request).messaging
    found = await run_in_threadpool(messaging.get, f"/inbox/{message_id}", user.token)
    poll = found.get("poll")
    if poll is None or poll["answer"] is not None:
        return see_other(f"/inbox/{message_id}")  # nothing to answer (any more)
    choices, error = choices_of_form(posted, poll)
    if not error:
        try:
            await run_in_threadpool(
                messaging.post,
                f"/inbox/{message_id}/poll-answer",
                user.token,
                json={"choices": choices},
            )
            return see_other(f"/inbox/{message_id}?done=poll#poll")
        except Refusal as refusal:
            if refusal.status == 409:  # answered meanwhile (another tab): the page says what
                return see_other(f"/inbox/{message_id}#poll")
            if refusal.status != 422:
                raise
            error = refusal.problems[0][1] if refusal.problems else refusal.message
    errors = {"choices": error}
    return await run_in_threadpool(message_page, request, user, message_id, errors, {}, 400)


@router.post("/inbox/{message_id}/rating")
async def rate(request: Request, message_id: Id) -> Response:
    user, fields = await signed_in_form(request)
    comment = fields.get("comment", "").strip()
    useful = fields.get("useful", "")
    errors: dict[str, str] = {}
    if useful not in ("yes", "no"):
        errors["useful"] = "Choose whether the message was useful"
    if len(comment) > MAX_COMMENT:
        errors["comment"] = f"Your comment must be {MAX_COMMENT} characters or fewer"
    if not errors:
        try:
            await run_in_threadpool(
                apis(request).messaging.put,
                f"/inbox/{message_id}/rating",
                user.token,
                json={"useful": useful == "yes", "comment": comment},
            )
            return see_other(f"/inbox/{message_id}?done=rating#rating")
        except Refusal as refusal:
            if refusal.status != 422:
                raise
            errors = {"comment": refusal.problems[0][1] if refusal.problems else refusal.message}
    values = {"comment": comment}
    return await run_in_threadpool(message_page, request, user, message_id, errors, values, 400)
