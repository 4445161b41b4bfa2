"""My messages: the inbox newest first, each message in full with its sender's name, role and
force, police attachments downloaded through the portal (`/attachments/{id}` is also where an
attachment's mail link lands: sign in, then download)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request, Response

from snp_portal.domain.message_feedback import answered_text
from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.group_pages import Id, titled
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import SignedIn, apis, signed_in

router = APIRouter()
PAGE = 25
_DOCUMENT_PATH = re.compile(r"^/documents/[A-Za-z0-9][A-Za-z0-9_.:\-]*$")


def portal_path(link: str | None) -> str | None:
    """A forwarded document's link as a path on this site (the mail's link is absolute, to the
    portal's public address); anything else is not shown as a link."""
    path = urlsplit(link or "").path
    return path if _DOCUMENT_PATH.match(path) else None


@router.get("/inbox")
def inbox(
    request: Request, before: str | None = Query(None, pattern=r"^[0-9a-fA-F-]{36}$")
) -> Response:
    user = signed_in(request)
    params: dict[str, Any] = {"limit": PAGE, **({"before": before} if before else {})}
    found = apis(request).messaging.get("/inbox", user.token, params=params)["messages"]
    return render(
        request,
        "inbox.html",
        title="Your messages",
        active="inbox",
        messages=found,
        older=found[-1]["id"] if len(found) == PAGE else None,
        errors={},
    )


@router.get("/inbox/{message_id}")
def message(request: Request, message_id: Id) -> Response:
    return message_page(request, signed_in(request), message_id)


def message_page(
    request: Request,
    user: SignedIn,
    message_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    reference: str = "",
) -> Response:
    """The message, its poll (a form until answered, then the answer), the rating form, and
    the reply form with the member's thread (`reference`: an anonymous reply's, just sent)."""
    found = apis(request).messaging.get(f"/inbox/{message_id}", user.token)
    poll = found.get("poll")
    return render(
        request,
        "inbox_message.html",
        status_code=status_code,
        title=titled(found["subject"], "Your messages"),
        active="inbox",
        message=found,
        document_path=portal_path(found.get("link")),
        answered=answered_text(poll) if poll and poll["answer"] is not None else "",
        poll_items=[{"value": str(i), "text": o} for i, o in enumerate(poll["options"])]
        if poll
        else [],
        errors=errors or {},
        error_items=error_list(errors or {}),
        # The comment field starts with the member's own comment, so rating again keeps it.
        values=values or {"comment": (found.get("rating") or {}).get("comment", "")},
        done=request.query_params.get("done", ""),
        reference=reference,
    )


@router.get("/attachments/{attachment_id}")
def attachment(request: Request, attachment_id: Id) -> Response:
    user = signed_in(request)
    return passed_on(
        apis(request).messaging.open_stream(f"/attachments/{attachment_id}", user.token)
    )
