"""My messages: the inbox newest first, each message in full with its sender's name, role and
force, police attachments downloaded through the portal (`/attachments/{id}` is also where an
attachment's mail link lands: sign in, then download)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request, Response

from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.group_pages import Id, titled
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import apis, signed_in

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
    user = signed_in(request)
    found = apis(request).messaging.get(f"/inbox/{message_id}", user.token)
    return render(
        request,
        "inbox_message.html",
        title=titled(found["subject"], "Your messages"),
        active="inbox",
        message=found,
        document_path=portal_path(found.get("link")),
        errors={},
    )


@router.get("/attachments/{attachment_id}")
def attachment(request: Request, attachment_id: Id) -> Response:
    user = signed_in(request)
    return passed_on(
        apis(request).messaging.open_stream(f"/attachments/{attachment_id}", user.token)
    )
