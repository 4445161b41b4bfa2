"""Messaging a group (its officers; messaging and OPA decide who may send), the group's
messages, and each message's delivery: counts as a chart and a table, then each recipient's
status by name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain.delivery_chart import STATUSES, delivery_chart
from snp_portal.domain.message_feedback import poll_of_form, poll_problem_field
from snp_portal.entrypoints.feedback_pages import message_feedback, poll_results
from snp_portal.entrypoints.group_pages import Id, group_page, render_group, titled
from snp_portal.entrypoints.web import (
    SignedIn,
    apis,
    field_errors,
    see_other,
    signed_in,
    signed_in_form,
)

router = APIRouter()
CHANNELS = {"email": "Email", "sms": "Text message"}


def _page(
    request: Request,
    user: SignedIn,
    group_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    page = group_page(request, group_id)
    found = apis(request).messaging.get(f"/groups/{group_id}/messages", user.token)
    return render_group(
        request,
        "group_messages.html",
        page,
        "messages",
        "Messages",
        status_code=status_code,
        errors=errors,
        title=titled("Messages", page.group["name"]),
        messages=found["messages"],
        values=values or {},
    )


@router.get("/groups/{group_id}/messages")
def messages(request: Request, group_id: Id) -> Response:
    return _page(request, signed_in(request), group_id)


@router.post("/groups/{group_id}/messages")
async def send(request: Request, group_id: Id) -> Response:
    user, fields = await signed_in_form(request)
    values = {"subject": fields.get("subject", "").strip(), "body": fields.get("body", "").strip()}
    errors: dict[str, str] = {}
    if not values["subject"]:
        errors["subject"] = "Enter a subject"
    if not values["body"]:
        errors["body"] = "Enter your message"
    poll, poll_errors = poll_of_form(fields)
    errors.update(poll_errors)
    values.update(
        {k: fields.get(k, "") for k in ("poll_question", "poll_options", "poll_multiple")}
    )
    if not errors:
        body: dict[str, Any] = {
            "subject": values["subject"],
            "body": values["body"],
            "audience": {"type": "group", "id": group_id},
            **({"poll": poll} if poll else {}),
        }
        try:
            sent = await run_in_threadpool(
                apis(request).messaging.post, "/messages", user.token, json=body
            )
            return see_other(f"/groups/{group_id}/messages/{sent.json()['id']}")
        except Refusal as refusal:
            if refusal.status in (403, 404):
                raise
            fields_of = {"subject": "subject", "body": "body"}
            errors = field_errors(refusal, fields_of, "subject")
            unnamed = [m for field, m in refusal.problems if not field]  # the domain's rules
            if unnamed:
                errors = {poll_problem_field(m): m for m in reversed(unnamed)}
    return await run_in_threadpool(_page, request, user, group_id, errors, values, 400)


@router.get("/groups/{group_id}/messages/{message_id}")
def delivery(request: Request, group_id: Id, message_id: Id) -> Response:
    user = signed_in(request)
    page = group_page(request, group_id)
    message = apis(request).messaging.get(
        f"/messages/{message_id}", user.token, params={"limit": 1000}
    )
    counts = message["deliveries"]
    heading = "Delivery of " + message["subject"]
    feedback = message_feedback(request, user.token, message_id)
    return render_group(
        request,
        "message_delivery.html",
        page,
        "messages",
        heading,
        title=titled(heading, page.group["name"]),
        message=message,
        chart=delivery_chart(counts),
        feedback=feedback,
        poll_results=poll_results(feedback),
        status_labels=dict(STATUSES),
        channels=CHANNELS,
        recipients=sorted(
            message["recipients_page"], key=lambda r: (r.get("display_name") or "").lower()
        ),
    )
