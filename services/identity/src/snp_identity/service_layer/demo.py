"""A demo tenant with one account of each kind, for `make run` (never in production)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp

from snp_identity.domain.accounts import KINDS
from snp_identity.domain.contacts import Contact
from snp_identity.domain.tenants import OPERATORS_TENANT
from snp_identity.service_layer import accounts, second_factor, tenants
from snp_identity.service_layer.context import IdentityContext
from snp_platform.eventstore import EventMetadata

DEMO_TENANT = "demo"


@dataclass(frozen=True)
class DemoAccount:
    kind: str
    tenant: str
    email: str
    password: str
    totp_secret: str


def seed(ctx: IdentityContext) -> list[DemoAccount] | None:
    """Create the demo tenant and its accounts, each with an authenticator enrolled; None when
    they exist already (their secrets were printed the first time)."""
    meta = EventMetadata(actor="cli:seed-demo")
    if tenants.tenant_exists(ctx.streams, DEMO_TENANT):
        return None
    tenants.register_tenant(ctx.streams, DEMO_TENANT, "Demo Constabulary", meta)
    password = f"demo-{secrets.token_urlsafe(9)}"
    made = []
    for kind in sorted(KINDS):
        tenant = OPERATORS_TENANT if kind == "operator" else DEMO_TENANT
        email = f"{kind.replace('_', '-')}@demo.example"
        contact = Contact(f"Demo {kind.replace('_', ' ')}", email)
        account_id = accounts.register_account(ctx, tenant, kind, contact, password, meta, "cli")
        enrolment = second_factor.start(ctx, tenant, account_id, meta)
        code = pyotp.TOTP(enrolment.secret).at(ctx.clock())
        second_factor.confirm(ctx, tenant, account_id, code, meta)
        made.append(DemoAccount(kind, tenant, email, password, enrolment.secret))
    return made
