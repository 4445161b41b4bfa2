"""A copy of all my data (subject access): ask for it, follow its progress, download the ZIP.

The policy (`identity.subject_export.request` and `.read`) lets the account itself only; to
anyone else, police and administrators included, an export is unknown (the decision's
`conceal`), so they get exactly the 404 of an id that never existed."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_identity.adapters.subject_exports import ExportRow
from snp_identity.entrypoints import dependencies as deps
from snp_identity.service_layer import subject_exports as exports
from snp_identity.service_layer.context import NotFound
from snp_platform.authz import Refused, authorize
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/identity/me/data-exports", tags=["subject access"])
ExportId = Annotated[uuid.UUID, Path(description="the export's id")]
_NO_STORE = {"Cache-Control": "no-store"}


def _resource(who: Principal, export_id: str, owner: str) -> dict[str, Any]:
    return {"type": "subject_export", "id": export_id, "tenant": who.tenant, "owner": owner}


def _unknown() -> Problem:
    return Problem(404, detail="No such data export.", type_uri=PROBLEM_TYPE_BASE + "not-found")


@router.post("", status_code=202)
def request_export(request: Request, response: Response, who: CurrentPrincipal) -> dict[str, Any]:
    """Ask for a copy; it is assembled in the background (follow `links.self`)."""
    authorize(
        deps.opa(request),
        who,
        "identity.subject_export.request",
        _resource(who, "new", who.account_id),
    )
    ctx = deps.context(request)
    export_id = exports.request_export(
        ctx, who.tenant, who.account_id, deps.metadata(request, who.account_id)
    )
    response.headers["Location"] = f"/identity/me/data-exports/{export_id}"
    return _shown(exports.progress(exports.find_export(ctx, who.tenant, export_id)))


@router.get("")
def my_exports(request: Request, response: Response, who: CurrentPrincipal) -> dict[str, Any]:
    authorize(
        deps.opa(request),
        who,
        "identity.subject_export.read",
        _resource(who, "list", who.account_id),
    )
    response.headers.update(_NO_STORE)
    found = exports.exports_of(deps.context(request), who.tenant, who.account_id)
    return {"exports": [_shown(e) for e in found]}


@router.get("/{export_id}")
def export_progress(
    export_id: ExportId, request: Request, response: Response, who: CurrentPrincipal
) -> dict[str, Any]:
    """`status` (assembling, ready, expired) and how many of the services gave their part."""
    row = _own_export(request, who, str(export_id))
    response.headers.update(_NO_STORE)
    return _shown(exports.progress(row))


@router.get("/{export_id}/download", response_class=Response)
def download(export_id: ExportId, request: Request, who: CurrentPrincipal) -> Response:
    """The ZIP: one JSON file per service and `summary.txt`."""
    row = _own_export(request, who, str(export_id))
    try:
        data = exports.opened_zip(deps.context(request), row)
    except NotFound:
        raise Problem(
            409 if row.status == "assembling" else 410,
            detail="Your copy is still being put together."
            if row.status == "assembling"
            else "This copy has expired. Ask for a new one.",
            type_uri=PROBLEM_TYPE_BASE
            + ("export-not-ready" if row.status == "assembling" else "export-expired"),
        ) from None
    name = f"my-data-{row.requested_at:%Y-%m-%d}.zip"
    headers = {**_NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/zip", headers=headers)


def _own_export(request: Request, who: Principal, export_id: str) -> ExportRow:
    try:
        row = exports.find_export(deps.context(request), who.tenant, export_id)
    except NotFound:
        raise _unknown() from None
    try:
        authorize(
            deps.opa(request),
            who,
            "identity.subject_export.read",
            _resource(who, export_id, row.account_id),
        )
    except Refused as refused:
        if refused.conceal:
            raise _unknown() from None
        raise
    return row


def _shown(progress: dict[str, Any]) -> dict[str, Any]:
    base = f"/identity/me/data-exports/{progress['export_id']}"
    links = {"self": base}
    if progress["status"] == "ready":
        links["download"] = f"{base}/download"
    return {**progress, "links": links}
