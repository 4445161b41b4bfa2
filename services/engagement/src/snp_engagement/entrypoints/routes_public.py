"""`/engagement/public/{tenant}/wards/{ward}/priorities`: a ward's published priorities, for
anyone, without a token (the tenant is in the path, as in membership's public listing)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from snp_engagement.entrypoints.dependencies import context
from snp_engagement.service_layer import publishing

router = APIRouter(prefix="/engagement/public", tags=["public"])
Tenant = Annotated[str, Path(min_length=1, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Ward = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]


@router.get("/{tenant}/wards/{ward_code}/priorities")
def ward_priorities(tenant: Tenant, ward_code: Ward, request: Request) -> dict[str, Any]:
    """Published periods, latest first: priorities in order, their actions, statuses and the
    panel's reviews; never who recorded or reviewed them."""
    return publishing.ward_priorities(context(request), tenant, ward_code)
