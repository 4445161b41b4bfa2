"""REST: send a message, read its delivery status, attachments, Notify's receipts."""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from snp_messaging.adapters.attachment_sealing import AttachmentsUnavailable
from snp_messaging.domain.feedback import PollDraft
from snp_messaging.domain.messages import Audience, Draft
from snp_messaging.entrypoints.dependencies import context, metadata
from snp_messaging.entrypoints.schemas import MessageIn, NotifyReceipt
from snp_messaging.service_layer import approvals, attachments, feedback, reading, receipts
from snp_messaging.service_layer.context import NotFound, TooLarge
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/messaging", tags=["messages"])


def draft_of(body: MessageIn) -> Draft:
    return Draft(
        body.subject,
        body.body,
        body.type,
        body.priority,
        Audience(body.audience.type, body.audience.id),
        tuple(str(a) for a in body.attachment_ids),
        None
        if body.poll is None
        else PollDraft(body.poll.question, tuple(body.poll.options), body.poll.multiple),
        body.anonymous_replies,
    )


@router.post("/messages", status_code=202)
async def send(body: MessageIn, principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    """Accepted: recorded with every recipient's delivery, the fan-out follows (`status`
    `sent`); or, under the force's rule, held for a second officer (`status` `waiting`)."""
    result: dict[str, Any] = await run_in_threadpool(
        approvals.send_or_hold,
        context(request),
        principal,
        draft_of(body),
        metadata(request, principal.account_id),
    )
    return result


@router.get("/messages/{message_id}")
async def status(
    message_id: uuid.UUID,
    principal: CurrentPrincipal,
    request: Request,
    after: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """The message, its delivery counts, and per-recipient statuses (paged by `after`)."""
    try:
        return await run_in_threadpool(
            reading.message_status,
            context(request),
            principal,
            str(message_id),
            str(after) if after else None,
            limit,
        )
    except NotFound as error:
        raise Problem(
            404, detail="No such message.", type_uri=PROBLEM_TYPE_BASE + "not-found"
        ) from error


@router.get("/messages/{message_id}/feedback")
async def message_feedback(
    message_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """How the recipients rated the message (counts, and comments with nobody's name) and its
    poll's results (counts per option, how many answered; `poll` null without one)."""
    result: dict[str, Any] = await run_in_threadpool(
        feedback.results, context(request), principal, str(message_id)
    )
    return result


@router.get("/groups/{group_id}/messages")
async def group_messages(
    group_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")],
    principal: CurrentPrincipal,
    request: Request,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Messages to the group (and its mailing lists) whose delivery the caller may read,
    newest first (page on with `before` = the last id seen)."""
    found = await run_in_threadpool(
        reading.group_messages,
        context(request),
        principal,
        group_id,
        limit,
        str(before) if before else None,
    )
    return {"messages": found}


@router.post("/attachments", status_code=201)
async def upload(
    principal: CurrentPrincipal,
    request: Request,
    file: Annotated[UploadFile, File()],
    filename: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """A police admin-panel document, to attach to the sender's next message."""
    limit = context(request).settings.attachment_max_bytes
    content = await file.read(limit + 1)
    try:
        return await run_in_threadpool(
            attachments.upload,
            context(request),
            principal,
            filename or file.filename or "",
            content,
            metadata(request, principal.account_id),
        )
    except TooLarge as error:
        raise Problem(413, detail=str(error), type_uri=PROBLEM_TYPE_BASE + "too-large") from error
    except AttachmentsUnavailable as error:
        raise _unavailable(error) from error


@router.get("/attachments/{attachment_id}")
async def download(
    attachment_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> Response:
    try:
        name, content_type, content = await run_in_threadpool(
            attachments.download, context(request), principal, str(attachment_id)
        )
    except NotFound as error:
        raise Problem(
            404, detail="No such attachment.", type_uri=PROBLEM_TYPE_BASE + "not-found"
        ) from error
    except AttachmentsUnavailable as error:
        raise _unavailable(error) from error
    return Response(
        content,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/providers/notify/receipts", status_code=204, include_in_schema=False)
async def notify_receipt(body: NotifyReceipt, request: Request) -> Response:
    """GOV.UK Notify's delivery receipt callback, authenticated by its bearer token."""
    expected = context(request).settings.notify_callback_token.get_secret_value()
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Problem(401, detail="Unknown caller.", type_uri=PROBLEM_TYPE_BASE + "unauthenticated")
    try:
        reference = str(uuid.UUID(body.reference or ""))
    except ValueError as error:
        raise Problem(
            422,
            detail="The reference is not a delivery id.",
            type_uri=PROBLEM_TYPE_BASE + "invalid-input",
        ) from error
    known = await run_in_threadpool(
        receipts.record_receipt, context(request), reference, body.status
    )
    if not known:
        raise Problem(404, detail="No such delivery.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    return Response(status_code=204)


def _unavailable(error: AttachmentsUnavailable) -> Problem:
    return Problem(503, detail=str(error), type_uri=PROBLEM_TYPE_BASE + "attachments-unavailable")
