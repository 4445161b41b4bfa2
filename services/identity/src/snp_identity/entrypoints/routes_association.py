"""A member's agreement to share their contact details with the Neighbourhood Watch
association: their area coordinator's export then includes their email and phone for the
groups they coordinate (identity releases them, and the member sees each release in their
disclosures). Without it the export names them but holds no contact details."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_identity.domain import accounts as account_rules
from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.schemas import AssociationSharingIn
from snp_identity.service_layer import accounts
from snp_platform.authz import authorize
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/identity", tags=["accounts"])


@router.put("/me/association-sharing", status_code=204)
def set_association_sharing(
    body: AssociationSharingIn, request: Request, who: CurrentPrincipal
) -> Response:
    """`{agreed}`: the choice after the change; choosing what already holds records nothing."""
    resource = {
        "type": "account",
        "id": who.account_id,
        "tenant": who.tenant,
        "owner": who.account_id,
    }
    authorize(deps.opa(request), who, "identity.association_sharing.manage", resource)
    accounts.change(
        deps.context(request),
        who.tenant,
        who.account_id,
        lambda account: account_rules.set_association_sharing(account, body.agreed),
        deps.metadata(request, who.account_id),
    )
    return Response(status_code=204)
