"""A group's documents: the list for my role, download, upload (officers) and delete.

Documents decides who sees and stores what; a forged upload by a member meets its refusal.
`/documents/{id}` is where a forwarded document's mail link lands: sign in, then download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.group_pages import Id, group_page, render_group, titled
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()

AUDIENCES = {"members": "Everyone in the group", "officers": "Officers only"}
_MULTIPART_OVERHEAD = 1024 * 1024  # the form's other fields and boundaries, generously


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{-(-size // 1024)} KB"


def _page(
    request: Request,
    user: SignedIn,
    group_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    page = group_page(request, group_id)
    items = apis(request).documents.get(f"/groups/{group_id}/documents", user.token)["items"]
    limit = request.app.state.settings.max_document_bytes
    return render_group(
        request,
        "group_documents.html",
        page,
        "documents",
        "Documents",
        status_code=status_code,
        errors=errors,
        title=titled("Documents", page.group["name"]),
        documents=items,
        audiences=AUDIENCES,
        size_of=megabytes,
        limit=megabytes(limit),
        done=request.query_params.get("done", ""),
        values=values or {},
    )


@router.get("/groups/{group_id}/documents")
def documents(request: Request, group_id: Id) -> Response:
    return _page(request, signed_in(request), group_id)


def _upload_errors(refusal: Refusal, limit: int) -> dict[str, str]:
    """Documents' refusal of an upload, said for the form's fields."""
    detail = (refusal.detail or "").lower()
    if refusal.status == 413:
        return {"file": f"The selected file must be smaller than {megabytes(limit)}"}
    if refusal.status == 415:
        return {
            "file": "The selected file must be a PDF, an image (PNG, JPEG, GIF or WebP), "
            "a text or CSV file, or an office document"
        }
    if "empty" in detail:
        return {"file": "The selected file is empty"}
    if "title" in detail:
        return {"title": f"The title is not accepted: {refusal.detail}"}
    if "audience" in detail:
        return {"audience": "Select who can read the document"}
    return {"file": refusal.message}


@router.post("/groups/{group_id}/documents")
async def upload(request: Request, group_id: Id) -> Response:
    limit = request.app.state.settings.max_document_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
        # Not read at all, let alone sent on: documents would refuse it anyway.
        user = signed_in(request)
        too_big = {"file": f"The selected file must be smaller than {megabytes(limit)}"}
        return await run_in_threadpool(_page, request, user, group_id, too_big, None, 413)
    user, fields = await signed_in_form(request)
    chosen = (await request.form()).get("file")
    values = {"title": fields.get("title", "").strip(), "audience": fields.get("audience", "")}
    errors: dict[str, str] = {}
    if not isinstance(chosen, UploadFile) or not chosen.filename:
        errors["file"] = "Select a file"
    if not values["title"]:
        errors["title"] = "Enter a title for the document"
    if values["audience"] not in AUDIENCES:
        errors["audience"] = "Select who can read the document"
    if errors or not isinstance(chosen, UploadFile):
        return await run_in_threadpool(_page, request, user, group_id, errors, values, 400)
    try:
        await run_in_threadpool(
            apis(request).documents.post,
            f"/groups/{group_id}/documents",
            user.token,
            data=values,
            files={"file": (chosen.filename, chosen.file, "application/octet-stream")},
        )
    except Refusal as refusal:
        if refusal.status in (403, 404):
            raise
        errors = _upload_errors(refusal, limit)
        status = refusal.status
        return await run_in_threadpool(_page, request, user, group_id, errors, values, status)
    return see_other(f"/groups/{group_id}/documents?done=uploaded")


@router.get("/documents/{document_id}")
def download(request: Request, document_id: Id) -> Response:
    """The document's bytes, passed on as documents streams them (never held whole here)."""
    user = signed_in(request)
    return passed_on(
        apis(request).documents.open_stream(f"/documents/{document_id}/content", user.token)
    )


def _document(request: Request, user: SignedIn, document_id: str) -> dict[str, Any]:
    found: dict[str, Any] = apis(request).documents.get(f"/documents/{document_id}", user.token)
    return found


@router.get("/groups/{group_id}/documents/{document_id}/delete")
def confirm_delete(request: Request, group_id: Id, document_id: Id) -> Response:
    user = signed_in(request)
    page = group_page(request, group_id)
    document = _document(request, user, document_id)
    if document["group_id"] != page.group_id:
        raise HTTPException(404)
    heading = f"Delete {document['title']}"
    return render_group(
        request,
        "document_delete.html",
        page,
        "documents",
        heading,
        title=titled(heading, page.group["name"]),
        document=document,
    )


@router.post("/groups/{group_id}/documents/{document_id}/delete")
async def delete(request: Request, group_id: Id, document_id: Id) -> Response:
    user, _fields = await signed_in_form(request)
    await run_in_threadpool(apis(request).documents.delete, f"/documents/{document_id}", user.token)
    return see_other(f"/groups/{group_id}/documents?done=deleted")
