"""A force's partner agencies: registered, renamed and retired by its tenant administrators,
read by the staff who pick one (the policy says who). Another force's agency is answered
exactly as an unknown id (404)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_identity.adapters.agency_records import AgencyRow
from snp_identity.domain.agencies import AGENCY_KINDS
from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.schemas import AgencyIn, AgencyRenameIn
from snp_identity.service_layer import agencies
from snp_identity.service_layer.context import NotFound
from snp_platform.authz import authorize
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/identity", tags=["agencies"])

AgencyId = Annotated[uuid.UUID, Path(description="the agency's id")]


def agency_out(row: AgencyRow) -> dict[str, Any]:
    return {
        "agency_id": row.agency_id,
        "name": row.name,
        "kind": row.kind,
        "status": row.status,
        "registered_at": row.registered_at.isoformat(),
    }


def _allow(request: Request, who: Principal, action: str, agency_id: str) -> None:
    resource = {"type": "agency", "id": agency_id, "tenant": who.tenant}
    authorize(deps.opa(request), who, action, resource)


def _unknown() -> Problem:
    return Problem(404, detail="No such agency.", type_uri=PROBLEM_TYPE_BASE + "not-found")


def _duplicate(name: str) -> Problem:
    return Problem(
        409,
        detail=f"The force already has an agency called {name!r}.",
        type_uri=PROBLEM_TYPE_BASE + "agency-name-taken",
    )


@router.post("/agencies", status_code=201)
def register_agency(body: AgencyIn, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    _allow(request, who, "identity.agency.register", "new")
    ctx = deps.context(request)
    try:
        agency_id = agencies.register_agency(
            ctx,
            who.tenant,
            body.name,
            body.kind,
            who.account_id,
            deps.metadata(request, who.account_id),
        )
    except agencies.DuplicateAgencyName as taken:
        raise _duplicate(str(taken)) from taken
    return agency_out(agencies.find_agency(ctx, who.tenant, agency_id))


@router.get("/agencies")
def list_agencies(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    """Every agency of the caller's force, retired ones included (they keep their history)."""
    _allow(request, who, "identity.agency.read", "all")
    rows = agencies.list_agencies(deps.context(request), who.tenant)
    return {"agencies": [agency_out(r) for r in rows], "kinds": list(AGENCY_KINDS)}


@router.get("/agencies/{agency_id}")
def read_agency(agency_id: AgencyId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    _allow(request, who, "identity.agency.read", str(agency_id))
    try:
        return agency_out(agencies.find_agency(deps.context(request), who.tenant, str(agency_id)))
    except NotFound as unknown:
        raise _unknown() from unknown


@router.patch("/agencies/{agency_id}")
def rename_agency(
    agency_id: AgencyId, body: AgencyRenameIn, request: Request, who: CurrentPrincipal
) -> dict[str, Any]:
    _allow(request, who, "identity.agency.update", str(agency_id))
    ctx = deps.context(request)
    try:
        agencies.rename_agency(
            ctx,
            who.tenant,
            str(agency_id),
            body.name,
            who.account_id,
            deps.metadata(request, who.account_id),
        )
        return agency_out(agencies.find_agency(ctx, who.tenant, str(agency_id)))
    except NotFound as unknown:
        raise _unknown() from unknown
    except agencies.DuplicateAgencyName as taken:
        raise _duplicate(str(taken)) from taken


@router.post("/agencies/{agency_id}/retire", status_code=204)
def retire_agency(agency_id: AgencyId, request: Request, who: CurrentPrincipal) -> Response:
    """The agency acts no more: its partners cannot sign in or refresh; its history stays."""
    _allow(request, who, "identity.agency.update", str(agency_id))
    try:
        agencies.retire_agency(
            deps.context(request),
            who.tenant,
            str(agency_id),
            who.account_id,
            deps.metadata(request, who.account_id),
        )
    except NotFound as unknown:
        raise _unknown() from unknown
    return Response(status_code=204)
