"""`/documents/...`: upload, list, metadata, content, delete and forward. Thin: HTTP in, use
cases out; every decision is OPA's, asked inside the use cases."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from snp_documents.adapters.multipart import StreamingForm, UploadRefused
from snp_documents.entrypoints.dependencies import context, metadata
from snp_documents.entrypoints.schemas import ForwardIn
from snp_documents.service_layer import forwarding, reading, uploads
from snp_platform.tokens import CurrentPrincipal
from snp_platform.uploads import content_disposition

router = APIRouter(prefix="/documents", tags=["documents"])
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries, headers and the small fields


@router.post("/groups/{group_id}/documents", status_code=201)
async def upload_document(group_id: Id, request: Request, principal: CurrentPrincipal) -> Any:
    """Multipart: `file` (the document), `title`, `audience` (`officers` or `members`)."""
    ctx = context(request)
    group = await run_in_threadpool(uploads.authorize_upload, ctx, principal, group_id)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > ctx.max_document_bytes + _MULTIPART_OVERHEAD:
        raise UploadRefused(413, f"The document is larger than {ctx.max_document_bytes} bytes.")
    form = StreamingForm(
        request.headers.get("content-type", ""),
        file_field="file",
        text_fields=frozenset({"title", "audience"}),
        max_file_bytes=ctx.max_document_bytes,
    )
    session = await run_in_threadpool(
        uploads.UploadSession, ctx, principal, group, metadata(request, principal.account_id)
    )
    try:
        hinted = False
        async for chunk in request.stream():
            pieces = form.feed(chunk)
            if pieces:
                if not hinted:
                    session.name_hint(form.file_name)
                    hinted = True
                await run_in_threadpool(session.write, pieces)
        form.close()
        stored = await run_in_threadpool(session.finish, form.fields, form.file_name)
    except BaseException:
        session.abort()
        raise
    location = f"/documents/documents/{stored['id']}"
    return JSONResponse(stored, status_code=201, headers={"Location": location})


@router.get("/groups/{group_id}/documents")
def list_documents(
    group_id: Id,
    request: Request,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=reading.MAX_PAGE)] = 100,
    cursor: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> dict[str, Any]:
    """The group's documents the caller may read (OPA filters them in one batch)."""
    items, next_cursor = reading.list_documents(
        context(request), principal, group_id, limit, cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/documents/{document_id}")
def document_metadata(document_id: Id, request: Request, principal: CurrentPrincipal) -> Any:
    return reading.metadata(context(request), principal, document_id)


@router.get("/documents/{document_id}/content")
def document_content(
    document_id: Id, request: Request, principal: CurrentPrincipal
) -> StreamingResponse:
    """The contents, streamed segment by segment; always an attachment, never sniffed."""
    download = reading.download(context(request), principal, document_id)
    digest = base64.b64encode(bytes.fromhex(download.sha256)).decode("ascii")
    headers = {
        "Content-Disposition": content_disposition(download.file_name),
        "Content-Length": str(download.size_bytes),
        "Repr-Digest": f"sha-256=:{digest}:",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(download.chunks, media_type=download.content_type, headers=headers)


@router.delete("/documents/{document_id}", status_code=204)
def delete_document(document_id: Id, request: Request, principal: CurrentPrincipal) -> Response:
    reading.delete(
        context(request), principal, document_id, metadata(request, principal.account_id)
    )
    return Response(status_code=204)


@router.post("/documents/{document_id}/forward", status_code=202)
def forward_document(
    document_id: Id, body: ForwardIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Record a `DocumentForwarded` event; messaging notifies the list's members."""
    return forwarding.forward(
        context(request),
        principal,
        document_id,
        body.mailing_list_id,
        metadata(request, principal.account_id),
    )
