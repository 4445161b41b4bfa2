"""Replies: a recipient replies to a message from its page in their inbox (sharing their email
or phone with the reply team if they tick it, or anonymously where a police appeal allows);
the reply team reads the threads of a sent message or of all its messages, answers a thread
(to its member only) and marks it handled. Messaging and its policy decide; the pages show
what they refused in the error summary, and nothing is recorded on an error."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain.replies import MAX_TEXT, reply_body
from snp_portal.entrypoints.group_pages import Id, titled
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.routes_inbox import message_page
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()


def _refused(refusal: Refusal) -> str:
    if refusal.status not in (403, 422):
        raise refusal
    if refusal.status == 403:
        return "This message does not take anonymous replies"
    return refusal.problems[0][1] if refusal.problems else refusal.message


@router.post("/inbox/{message_id}/reply")
async def reply(request: Request, message_id: Id) -> Response:
    user, fields = await signed_in_form(request)
    body, error = reply_body(fields)
    values = {k: fields.get(k, "") for k in ("text", "share_email", "share_phone", "anonymous")}
    if not error:
        try:
            answer = await run_in_threadpool(
                apis(request).messaging.post, f"/inbox/{message_id}/replies", user.token, json=body
            )
            posted = answer.json()
        except Refusal as refusal:
            error = _refused(refusal)
        else:
            if posted.get("reference"):
                # Shown on this response only: a reference in a redirect's address could reach
                # a log beside the session's account, which is the link it must never have.
                return await run_in_threadpool(
                    message_page, request, user, message_id, {}, {}, 200, posted["reference"]
                )
            return see_other(f"/inbox/{message_id}?done=reply#reply")
    errors = {"reply-text": error}
    return await run_in_threadpool(message_page, request, user, message_id, errors, values, 400)


def _threads_page(
    request: Request, user: SignedIn, title: str, threads: list[Any], **context: Any
) -> Response:
    return render(
        request,
        "replies_threads.html",
        title=title,
        heading=title,
        threads=threads,
        errors={},
        **context,
    )


@router.get("/replies")
def team_threads(
    request: Request, status: str = Query("open", pattern="^(open|handled)$")
) -> Response:
    user = signed_in(request)
    found = apis(request).messaging.get("/reply-threads", user.token, params={"status": status})
    title = "Replies to your team" if status == "open" else "Handled replies"
    return _threads_page(request, user, title, found["threads"], status=status)


@router.get("/messages/{message_id}/replies")
def message_threads(request: Request, message_id: Id) -> Response:
    user = signed_in(request)
    found = apis(request).messaging.get(f"/messages/{message_id}/reply-threads", user.token)
    return _threads_page(request, user, "Replies to this message", found["threads"], status="")


def thread_page(
    request: Request,
    user: SignedIn,
    thread_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    thread = apis(request).messaging.get(f"/reply-threads/{thread_id}", user.token)
    member = thread["member"]
    who = member.get("display_name") or member.get("reference") or "A member"
    return render(
        request,
        "replies_thread.html",
        status_code=status_code,
        title=titled(f"Reply from {who}", "Replies"),
        thread=thread,
        who=who,
        errors=errors or {},
        error_items=error_list(errors or {}),
        values=values or {},
        done=request.query_params.get("done", ""),
    )


@router.get("/replies/{thread_id}")
def thread(request: Request, thread_id: Id) -> Response:
    return thread_page(request, signed_in(request), thread_id)


@router.post("/replies/{thread_id}/answer")
async def answer(request: Request, thread_id: Id) -> Response:
    user, fields = await signed_in_form(request)
    text = fields.get("text", "").strip()
    error = ""
    if not text:
        error = "Enter your answer"
    elif len(text) > MAX_TEXT:
        error = f"Your answer must be {MAX_TEXT:,} characters or fewer"
    if not error:
        try:
            await run_in_threadpool(
                apis(request).messaging.post,
                f"/reply-threads/{thread_id}/answers",
                user.token,
                json={"text": text},
            )
            return see_other(f"/replies/{thread_id}?done=answer")
        except Refusal as refusal:
            if refusal.status != 422:
                raise
            error = refusal.problems[0][1] if refusal.problems else refusal.message
    errors = {"answer-text": error}
    return await run_in_threadpool(
        thread_page, request, user, thread_id, errors, {"text": fields.get("text", "")}, 400
    )


@router.post("/replies/{thread_id}/handled")
async def handled(request: Request, thread_id: Id) -> Response:
    user, _fields = await signed_in_form(request)
    await run_in_threadpool(
        apis(request).messaging.post, f"/reply-threads/{thread_id}/handled", user.token
    )
    return see_other(f"/replies/{thread_id}?done=handled")
