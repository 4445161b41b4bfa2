"""What identity tells anyone, signed in or not: a force's name by its slug.

No OPA question is asked here: a force's display name is public (it heads every page of the
portal), the answer names no person and no account, and there is no subject to decide about,
as with the JWKS. One slug is answered at a time; there is deliberately no list of forces.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.routes_accounts import TenantSlug
from snp_identity.entrypoints.schemas import PublicTenantOut
from snp_identity.service_layer import tenants
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem

router = APIRouter(prefix="/identity/public", tags=["public"])


@router.get("/tenants/{tenant}", response_model=PublicTenantOut)
def public_tenant(tenant: TenantSlug, request: Request) -> PublicTenantOut:
    name = tenants.tenant_name(deps.context(request).streams, tenant)
    if name is None:
        raise Problem(404, detail="No such force.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    return PublicTenantOut(slug=tenant, display_name=name)
