"""Areas: the wards an area coordinator covers, set by the force's tenant admin (each change
an `AreaSet` on the stream `area:<account id>`), and read by the admin or the coordinator.

Membership, not identity, keeps them: wards are membership's vocabulary (every group has one),
and the one use of an area is membership's export, which then reads the area in the same
database as the groups instead of a copy that may lag behind the admin's change.
"""

from __future__ import annotations

from typing import Any

from snp_membership.adapters.areas import area_of
from snp_membership.adapters.known_accounts import known_account
from snp_membership.domain import areas
from snp_membership.domain.model import KnownAccount
from snp_membership.service_layer.context import MembershipContext, NotFound
from snp_platform.authz import authorize
from snp_platform.eventstore import EventMetadata, Stream
from snp_platform.tokens import Principal


def area_stream(tenant: str, account_id: str) -> Stream:
    return Stream(tenant, f"area:{account_id}")


def area_resource(tenant: str, account_id: str, target_kind: str) -> dict[str, Any]:
    return {
        "type": "area",
        "id": account_id,
        "tenant": tenant,
        "owner": account_id,
        "target_kind": target_kind,
    }


def set_area(
    ctx: MembershipContext,
    principal: Principal,
    account_id: str,
    ward_codes: list[str],
    metadata: EventMetadata,
) -> list[str]:
    """The area coordinator's wards after the change (the same wards again record nothing).
    An account membership does not know in the caller's force is a 404; bad codes a 422."""
    tenant = principal.tenant
    with ctx.connection() as conn:
        account = _allowed_account(ctx, conn, principal, account_id, "membership.area.set")
        wards = areas.ward_codes(ward_codes)
        _, version = ctx.streams.load(area_stream(tenant, account_id))
        current = area_of(conn, tenant, account_id)
    events = areas.set_area(account_id, account.kind, current, wards, principal.account_id)
    ctx.streams.append(area_stream(tenant, account_id), events, version, metadata)
    return wards


def read_area(ctx: MembershipContext, principal: Principal, account_id: str) -> list[str] | None:
    """The wards (None: never set) for the force's admin or the coordinator themself."""
    with ctx.connection() as conn:
        _allowed_account(ctx, conn, principal, account_id, "membership.area.read")
        return area_of(conn, principal.tenant, account_id)


def _allowed_account(
    ctx: MembershipContext, conn: Any, principal: Principal, account_id: str, action: str
) -> KnownAccount:
    """The account whose area it is, once the policy allowed `action` on it; an account
    membership does not know in the caller's force (or erased) is a 404."""
    account = known_account(conn, principal.tenant, account_id)
    if account is None or account.erased:
        raise NotFound(account_id)
    authorize(ctx.opa, principal, action, area_resource(principal.tenant, account_id, account.kind))
    return account
