"""The operators' list of forces (registering one is in routes_accounts.py). One decision for
the whole list, in the operator's own tenant: the list names forces, never anyone in them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from snp_identity.adapters.tenant_directory import registered_tenants
from snp_identity.entrypoints import dependencies as deps
from snp_platform.authz import authorize
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/identity", tags=["tenants"])


@router.get("/tenants")
def list_tenants(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    """Every registered force: slug, display name, when, and how many active administrators."""
    resource = {"type": "tenants", "id": "all", "tenant": who.tenant}
    authorize(deps.opa(request), who, "identity.tenant.list", resource)
    with deps.context(request).pool.connection() as conn:
        found = registered_tenants(conn)
    return {
        "tenants": [
            {
                "slug": t.slug,
                "display_name": t.display_name,
                "registered_at": t.registered_at.isoformat(),
                "administrators": t.administrators,
            }
            for t in found
        ]
    }
