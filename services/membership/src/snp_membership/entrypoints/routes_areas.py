"""Areas and the Neighbourhood Watch association's export over REST.

`PUT /membership/areas/{account_id}` (tenant admin) sets the wards an area coordinator covers;
`GET` reads them (the admin, or the coordinator themself); `GET /membership/area-export`
gives the coordinator their area's watch groups and coordinators as CSV or JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from snp_membership.domain.area_export import as_csv, as_json
from snp_membership.domain.areas import MAX_WARDS
from snp_membership.entrypoints.dependencies import context, metadata
from snp_membership.entrypoints.params import AccountId
from snp_membership.service_layer import area_export, areas
from snp_platform.bodies import RequestBody
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/membership")

ExportFormat = Annotated[Literal["csv", "json"], Query(alias="format")]


class AreaIn(RequestBody):
    # Each code is checked by the domain (one message per bad code); this bounds the body.
    ward_codes: list[Annotated[str, Field(max_length=64)]] = Field(max_length=MAX_WARDS * 2)


@router.put("/areas/{account_id}")
def set_area(
    account_id: AccountId, body: AreaIn, request: Request, who: CurrentPrincipal
) -> dict[str, Any]:
    """A tenant admin sets the whole set of wards an area coordinator covers."""
    wards = areas.set_area(
        context(request), who, str(account_id), body.ward_codes, metadata(request, who.account_id)
    )
    return {"account_id": str(account_id), "ward_codes": wards}


@router.get("/areas/{account_id}")
def read_area(account_id: AccountId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    wards = areas.read_area(context(request), who, str(account_id))
    return {"account_id": str(account_id), "ward_codes": wards or [], "set": wards is not None}


@router.get("/area-export", response_model=None)
def export_area(
    request: Request, who: CurrentPrincipal, export_format: ExportFormat = "json"
) -> Response:
    """The caller's area's watch groups and coordinators; email and phone only for those who
    agreed. Each call is a new export, recorded (`AreaExported`)."""
    done = area_export.export_area(
        context(request), who, export_format, metadata(request, who.account_id)
    )
    day = datetime.now(UTC).date().isoformat()
    headers = {
        "Cache-Control": "no-store",
        "SNP-Export-Id": done.export_id,
        "Content-Disposition": f'attachment; filename="watch-groups-{day}.{export_format}"',
    }
    if export_format == "csv":
        return Response(as_csv(done.groups), media_type="text/csv; charset=utf-8", headers=headers)
    body = {
        "export_id": done.export_id,
        "ward_codes": done.ward_codes,
        "groups": as_json(done.groups),
    }
    return JSONResponse(body, headers=headers)
