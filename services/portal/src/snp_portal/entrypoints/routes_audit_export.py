"""The auditor's export (audit's NDJSON, streamed through as it comes, never held whole), the
log's public key and latest checkpoint as files to keep, and the page on verifying offline.
Audit and OPA decide (`audit.events.export`, `audit.events.read`)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.routes_audit_log import AUDITORS
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis

router = APIRouter()


def _since_error(since: str) -> str | None:
    if since and (not since.isdigit() or int(since) < 1 or len(since) > 18):
        return "Enter the number of entries of the checkpoint you kept, like 1200"
    return None


def _export_page(request: Request, since: str, errors: dict[str, str]) -> Response:
    return render(
        request,
        "auditor_export.html",
        status_code=400 if errors else 200,
        title="Export the audit log",
        active="auditor-export",
        values={"since": since},
        errors=errors,
        error_items=error_list(errors),
    )


@router.get("/auditor/export")
def export_page(request: Request) -> Response:
    signed_in_staff(request, AUDITORS)
    return _export_page(request, "", {})


@router.get("/auditor/export/download")
def download(request: Request) -> Response:
    staff = signed_in_staff(request, AUDITORS)
    since = request.query_params.get("since", "").strip()
    problem = _since_error(since)
    if problem:
        return _export_page(request, since, {"since": problem})
    path = "/export" + (f"?{urlencode({'since': since})}" if since else "")
    return passed_on(apis(request).audit.open_stream(path, staff.token))


def _file(text: str, name: str, media_type: str) -> Response:
    return Response(
        text,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/auditor/public-key")
def public_key(request: Request) -> Response:
    signed_in_staff(request, AUDITORS)
    key = apis(request).audit.get("/public-key")
    return _file(key["public_key"] + "\n", "audit.pub", "text/plain; charset=utf-8")


@router.get("/auditor/checkpoint")
def latest_checkpoint(request: Request) -> Response:
    staff = signed_in_staff(request, AUDITORS)
    checkpoint = apis(request).audit.get("/checkpoints/latest", staff.token)
    name = f"checkpoint-{staff.claims.tenant}-{checkpoint['tree_size']}.json"
    return _file(json.dumps(checkpoint, indent=2) + "\n", name, "application/json")


@router.get("/auditor/verify")
def verify_page(request: Request) -> Response:
    signed_in_staff(request, AUDITORS)
    key = apis(request).audit.get("/public-key")
    return render(
        request,
        "auditor_verify.html",
        title="Verify an export offline",
        active="auditor-export",
        key=key,
        errors={},
    )
