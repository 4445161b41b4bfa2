"""The operator's projections (council IT): every service's projections, rebuilding one behind
a page that says what will happen, and its progress (server-rendered; a Refresh link, no
JavaScript). Each service lists, rebuilds and reports its own (snp_platform.ops_projections)
and its policy decides; the portal only asks, with the operator's token."""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import ApiClient, Refusal, ServiceUnavailable
from snp_portal.domain.platform_health import SERVICES
from snp_portal.domain.projections import projection_row, projections_by_service
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.routes_operator_tenants import OPERATORS
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
Service = Annotated[str, Path(pattern="^(" + "|".join(SERVICES) + ")$")]
Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,100}$")]
ACTIVE = "operator-projections"


def _ask(client: ApiClient, token: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = client.get("/ops/projections", token)
    except (ServiceUnavailable, Refusal):
        return None  # shown as "not answering"
    return found


@router.get("/operator/projections")
def projections(request: Request) -> Response:
    staff = signed_in_staff(request, OPERATORS)
    clients = apis(request).by_service()
    with ThreadPoolExecutor(max_workers=len(SERVICES)) as pool:
        futures = {
            name: pool.submit(contextvars.copy_context().run, _ask, clients[name], staff.token)
            for name in SERVICES
        }
        answers = {name: future.result() for name, future in futures.items()}
    return render(
        request,
        "operator_projections.html",
        title="Projections",
        active=ACTIVE,
        services=projections_by_service(SERVICES, answers),
        errors={},
    )


def _projection(request: Request, service: str, name: str, token: str) -> Any:
    try:
        report = apis(request).by_service()[service].get(f"/ops/projections/{name}", token)
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        raise
    return projection_row(service, report)


@router.get("/operator/projections/{service}/{name}")
def progress(request: Request, service: Service, name: Name) -> Response:
    staff = signed_in_staff(request, OPERATORS)
    row = _projection(request, service, name, staff.token)
    return render(
        request,
        "operator_projection.html",
        title=f"Rebuilding {name}" if row.rebuilding else name,
        active=ACTIVE,
        row=row,
        started=request.query_params.get("started") == "1",
        errors={},
    )


def _confirm_page(
    request: Request, row: Any, status_code: int = 200, error: str | None = None
) -> Response:
    return render(
        request,
        "operator_projection_rebuild.html",
        status_code=status_code,
        title=f"Rebuild {row.name}?",
        active=ACTIVE,
        row=row,
        errors={"rebuild": error} if error else {},
        error_items=error_list({"rebuild": error} if error else {}),
    )


@router.get("/operator/projections/{service}/{name}/rebuild")
def confirm(request: Request, service: Service, name: Name) -> Response:
    staff = signed_in_staff(request, OPERATORS)
    return _confirm_page(request, _projection(request, service, name, staff.token))


@router.post("/operator/projections/{service}/{name}/rebuild")
async def rebuild(request: Request, service: Service, name: Name) -> Response:
    await signed_in_form(request)
    staff = signed_in_staff(request, OPERATORS)
    client = apis(request).by_service()[service]
    try:
        await run_in_threadpool(client.post, f"/ops/projections/{name}/rebuild", staff.token)
    except Refusal as refused:
        if refused.status != 409:
            raise
        row = await run_in_threadpool(_projection, request, service, name, staff.token)
        return _confirm_page(request, row, 409, refused.detail or refused.title)
    return see_other(f"/operator/projections/{service}/{name}?started=1")
