"""A force's staff accounts, listed for its tenant administrators (creating one, its role,
disabling and erasing are in routes_accounts.py). One decision for the whole list, in the
administrator's own tenant; the list holds staff kinds only, never residents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request

from snp_identity.entrypoints import dependencies as deps
from snp_identity.service_layer.authenticator_resets import WaitingReset
from snp_identity.service_layer.staff import list_staff
from snp_platform.authz import authorize
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/identity", tags=["staff"])


def _reset(waiting: WaitingReset | None) -> dict[str, Any] | None:
    if waiting is None:
        return None
    return {
        "request_id": waiting.request_id,
        "requested_by": waiting.requested_by,
        "reason": waiting.reason,
        "requested_at": datetime.fromtimestamp(waiting.requested_at, UTC).isoformat(),
        "expires_at": datetime.fromtimestamp(waiting.expires_at, UTC).isoformat(),
    }


@router.get("/accounts")
def staff_accounts(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    """The caller's force's staff: kind, role held, status, authenticator, last sign-in."""
    resource = {"type": "staff", "id": "all", "tenant": who.tenant}
    authorize(deps.opa(request), who, "identity.staff.list", resource)
    return {
        "accounts": [
            {
                "account_id": s.account_id,
                "kind": s.kind,
                "display_name": s.display_name,
                "email": s.email,
                "status": s.status,
                "holds_role": s.holds_role,
                "authenticator": s.authenticator,
                "last_sign_in_at": s.last_sign_in.isoformat() if s.last_sign_in else None,
                "awaiting_set_up": s.awaiting_set_up,
                "authenticator_reset": _reset(s.authenticator_reset),
                "agency_id": s.agency_id,
            }
            for s in list_staff(deps.context(request), who.tenant)
        ]
    }
