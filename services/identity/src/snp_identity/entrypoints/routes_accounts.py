"""Tenants, accounts, the caller's own account, authenticator enrolment, roles and erasure.

Every action except public self-registration asks OPA; the routes only gather the facts the
policy needs (kinds, owners, tenants) and translate outcomes to HTTP.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_identity.adapters import agency_records, records
from snp_identity.domain import accounts as account_rules
from snp_identity.domain.accounts import Decision
from snp_identity.domain.contacts import Contact
from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.schemas import (
    AccountOut,
    ContactIn,
    RegistrationIn,
    RoleIn,
    StaffAccountIn,
    TenantIn,
    TotpConfirmIn,
)
from snp_identity.service_layer import accounts, directory, second_factor, tenants
from snp_identity.service_layer.context import IdentityContext, InvalidInput
from snp_platform.authz import Refused, authorize
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/identity", tags=["accounts"])


# Typed path parameters: anything else is refused with 422 before it reaches a query.
AccountId = Annotated[uuid.UUID, Path(description="the account's id")]
TenantSlug = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$")]


def _account_resource(tenant: str, account_id: str) -> dict[str, Any]:
    return {"type": "account", "id": account_id, "tenant": tenant, "owner": account_id}


def _allow(request: Request, who: Principal, action: str, resource: dict[str, Any]) -> None:
    authorize(deps.opa(request), who, action, resource)


@router.post("/tenants", status_code=201)
def register_tenant(body: TenantIn, request: Request, who: CurrentPrincipal) -> dict[str, str]:
    _allow(
        request,
        who,
        "identity.tenant.register",
        {"type": "tenant", "id": body.slug, "tenant": body.slug},
    )
    tenants.register_tenant(
        deps.context(request).streams,
        body.slug,
        body.display_name,
        deps.metadata(request, who.account_id),
    )
    return {"slug": body.slug}


@router.post("/tenants/{tenant}/accounts", status_code=201)
def register_member(tenant: TenantSlug, body: RegistrationIn, request: Request) -> dict[str, str]:
    """Residents sign themselves up; only member accounts are created this way."""
    ctx = deps.context(request)
    if not tenants.tenant_exists(ctx.streams, tenant):
        raise Problem(404, detail="No such tenant.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    account_id = accounts.register_account(
        ctx,
        tenant,
        "member",
        Contact(body.display_name, body.email, body.phone),
        body.password,
        deps.metadata(request, "anonymous"),
    )
    return {"account_id": account_id}


@router.post("/accounts", status_code=201)
def create_staff(body: StaffAccountIn, request: Request, who: CurrentPrincipal) -> dict[str, str]:
    """A staff account of the caller's force (an operator: a force's first administrator).
    With a password, as given; without one, a single-use set-up link is mailed to the email."""
    ctx = deps.context(request)
    tenant = body.tenant or who.tenant
    with ctx.pool.connection() as conn:
        has_admin = conn.execute(
            "SELECT exists(SELECT 1 FROM accounts WHERE tenant = %s AND kind = 'tenant_admin'"
            " AND status = 'active')",
            (tenant,),
        ).fetchone()
    resource = {
        "type": "account",
        "id": "new",
        "tenant": tenant,
        "target_kind": body.kind,
        "tenant_has_admin": bool(has_admin and has_admin[0]),
    }
    try:
        _allow(request, who, "identity.account.create", resource)
    except Refused as refused:
        # The policy's reason put in words: an operator adds a force's first administrator
        # only; the force's administrators add the rest.
        if "tenant_has_admin_not_allowed" in refused.reasons:
            raise Problem(
                409,
                detail=f"The force {tenant!r} already has an administrator. Its administrators"
                " create further staff accounts, including administrators.",
                type_uri=PROBLEM_TYPE_BASE + "tenant-has-admin",
            ) from refused
        raise
    if not tenants.tenant_exists(ctx.streams, tenant):
        raise Problem(404, detail="No such tenant.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    agency_id = _partners_agency(ctx, tenant, body.kind, body.agency_id)
    account_id = accounts.register_account(
        ctx,
        tenant,
        body.kind,
        Contact(body.display_name, body.email, body.phone),
        body.password,
        deps.metadata(request, who.account_id),
        registered_by=who.account_id,
        agency_id=agency_id,
    )
    # Without a password the owner chooses one through the mailed set-up link.
    return {"account_id": account_id, "set_up": "mailed" if body.password is None else "none"}


def _partners_agency(ctx: IdentityContext, tenant: str, kind: str, agency_id: str | None) -> str:
    """A partner names an active agency of the force; no other kind names one (422 else:
    another force's agency is refused exactly as an unknown one)."""
    if kind != account_rules.PARTNER:
        if agency_id:
            raise InvalidInput(["only a partner account names an agency"])
        return ""
    if not agency_id:
        raise InvalidInput(["choose the agency the partner acts for"])
    with ctx.pool.connection() as conn:
        agency = agency_records.find_agency(conn, tenant, agency_id)
    if agency is None or agency.status != "active":
        raise InvalidInput(["choose an active agency of the force"])
    return agency.agency_id


@router.get("/me", response_model=AccountOut)
def me(request: Request, who: CurrentPrincipal) -> AccountOut:
    ctx = deps.context(request)
    _allow(request, who, "identity.account.read", _account_resource(who.tenant, who.account_id))
    with ctx.pool.connection() as conn:
        row = records.find_account(conn, who.tenant, who.account_id)
    contact = directory.display_contact(ctx, who.tenant, who.account_id)
    if row is None or contact is None:
        raise Problem(404, detail="No such account.", type_uri=PROBLEM_TYPE_BASE + "not-found")
    return AccountOut(
        account_id=row.account_id,
        tenant=row.tenant,
        kind=row.kind,
        display_name=contact.display_name,
        email=contact.email,
        phone=contact.phone,
        totp_enrolled=row.totp == "enrolled",
        roles=row.roles,
        recovery_codes_left=second_factor.recovery_codes_left(ctx, who.account_id),
        agency_id=row.agency_id,
        shares_with_association=row.shares_with_association,
    )


@router.put("/me/contact", status_code=204)
def update_contact(body: ContactIn, request: Request, who: CurrentPrincipal) -> Response:
    _allow(
        request,
        who,
        "identity.account.update_contact",
        _account_resource(who.tenant, who.account_id),
    )
    accounts.update_contact(
        deps.context(request),
        who.tenant,
        who.account_id,
        Contact(body.display_name, body.email, body.phone),
        deps.metadata(request, who.account_id),
    )
    return Response(status_code=204)


@router.post("/me/totp", status_code=201)
def start_totp(request: Request, who: CurrentPrincipal) -> dict[str, str]:
    _allow(request, who, "identity.totp.enrol", _account_resource(who.tenant, who.account_id))
    enrolment = second_factor.start(
        deps.context(request), who.tenant, who.account_id, deps.metadata(request, who.account_id)
    )
    return {"secret": enrolment.secret, "otpauth_uri": enrolment.otpauth_uri}


@router.post("/me/totp/confirm")
def confirm_totp(body: TotpConfirmIn, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    _allow(request, who, "identity.totp.enrol", _account_resource(who.tenant, who.account_id))
    codes = second_factor.confirm(
        deps.context(request),
        who.tenant,
        who.account_id,
        body.code,
        deps.metadata(request, who.account_id),
    )
    return {"recovery_codes": codes}


def _decide_as_admin(
    request: Request, who: Principal, account: uuid.UUID, action: str, decide: Decision
) -> Response:
    """Ask the policy about `action` on the account, then apply the decision to its stream."""
    account_id = str(account)
    _allow(request, who, action, _account_resource(who.tenant, account_id))
    accounts.change(
        deps.context(request),
        who.tenant,
        account_id,
        decide,
        deps.metadata(request, who.account_id),
    )
    return Response(status_code=204)


@router.post("/accounts/{account_id}/roles", status_code=204)
def grant_role(
    account_id: AccountId, body: RoleIn, request: Request, who: CurrentPrincipal
) -> Response:
    return _decide_as_admin(
        request,
        who,
        account_id,
        "identity.role.grant",
        lambda a: account_rules.grant_role(a, body.role, who.account_id),
    )


@router.delete("/accounts/{account_id}/roles", status_code=204)
def revoke_role(
    account_id: AccountId, body: RoleIn, request: Request, who: CurrentPrincipal
) -> Response:
    return _decide_as_admin(
        request,
        who,
        account_id,
        "identity.role.revoke",
        lambda a: account_rules.revoke_role(a, body.role, who.account_id),
    )


@router.post("/accounts/{account_id}/disable", status_code=204)
def disable(account_id: AccountId, request: Request, who: CurrentPrincipal) -> Response:
    """Stop the account signing in; its live tokens stop working everywhere within a minute."""
    return _decide_as_admin(
        request,
        who,
        account_id,
        "identity.account.disable",
        lambda a: account_rules.disable(a, who.account_id),
    )


@router.delete("/accounts/{account_id}", status_code=204)
def erase(account_id: AccountId, request: Request, who: CurrentPrincipal) -> Response:
    """The account itself, or a tenant admin; its own request is refused (409 `last-leader`,
    naming the groups) while it is a group's only chair or coordinator."""
    erased = str(account_id)
    _allow(request, who, "identity.account.erase", _account_resource(who.tenant, erased))
    accounts.erase(
        deps.context(request),
        who.tenant,
        erased,
        who.account_id,
        deps.metadata(request, who.account_id),
    )
    return Response(status_code=204)
