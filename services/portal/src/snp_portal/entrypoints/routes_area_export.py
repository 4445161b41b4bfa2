"""Export your area's groups (an area coordinator): the wards the force's administrator set
for them, and links that download the Neighbourhood Watch groups of those wards with their
coordinators as CSV or JSON. Membership decides and records every export; the portal passes
the file on as it comes and keeps nothing of it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response

from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis

router = APIRouter()
AREA_COORDINATORS = frozenset({"area_coordinator"})
ExportFormat = Annotated[Literal["csv", "json"], Path()]


@router.get("/area-export")
def area_export_page(request: Request) -> Response:
    staff = signed_in_staff(request, AREA_COORDINATORS)
    area = apis(request).membership.get(f"/areas/{staff.claims.account_id}", staff.token)
    return render(
        request,
        "area_export.html",
        title="Export your area's groups",
        active="area-export",
        wards=area["ward_codes"],
    )


@router.get("/area-export/watch-groups.{export_format}")
def download(request: Request, export_format: ExportFormat) -> Response:
    staff = signed_in_staff(request, AREA_COORDINATORS)
    path = f"/area-export?format={export_format}"
    return passed_on(apis(request).membership.open_stream(path, staff.token))
