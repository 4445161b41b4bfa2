"""Who has seen my contact details: a member's own releases, newest first, each in words.

Only the member themself: the policy (`identity.disclosures.read`, the account itself, member
kind) refuses another member, police and tenant admins alike, so no one else learns who has
been given a member's details. A staff account sees its own lookups in the audit log."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from snp_identity.entrypoints import dependencies as deps
from snp_identity.service_layer.disclosures import MAX_PAGE, disclosures_page
from snp_platform.authz import authorize
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/identity", tags=["disclosures"])

Cursor = Annotated[str | None, Query(max_length=64, pattern=r"^[0-9a-f-]{36}$")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get("/me/disclosures")
def my_disclosures(
    request: Request, who: CurrentPrincipal, cursor: Cursor = None, limit: Limit = 50
) -> dict[str, Any]:
    return _disclosures(request, who, who.account_id, cursor, limit)


@router.get("/accounts/{account_id}/disclosures")
def account_disclosures(
    account_id: Annotated[uuid.UUID, Path(description="the account's id")],
    request: Request,
    who: CurrentPrincipal,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """The same list by account id, for the account itself only (anyone else: 403)."""
    return _disclosures(request, who, str(account_id), cursor, limit)


def _disclosures(
    request: Request, who: Principal, account_id: str, cursor: str | None, limit: int
) -> dict[str, Any]:
    resource = {"type": "account", "id": account_id, "tenant": who.tenant, "owner": account_id}
    authorize(deps.opa(request), who, "identity.disclosures.read", resource)
    return disclosures_page(deps.context(request), who.tenant, account_id, cursor, limit)
