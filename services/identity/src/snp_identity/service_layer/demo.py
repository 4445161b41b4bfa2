"""A demo tenant with one account of each kind, for `make run` (never in production).

Every password and TOTP secret is derived from one demo seed (a secret the local stack keeps in
its state folder), so seeding is idempotent: a run that was interrupted half-way is completed by
the next one, which prints the same sign-ins. Nothing is written until every account's details
have passed the same checks any account's do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

import pyotp

from snp_identity.adapters import agency_records, records
from snp_identity.adapters.crypto import blind_index
from snp_identity.adapters.passwords import check_password
from snp_identity.adapters.totp import STEP_SECONDS
from snp_identity.domain.accounts import KINDS, TotpState
from snp_identity.domain.contacts import Contact, normalise_email
from snp_identity.domain.tenants import OPERATORS_TENANT
from snp_identity.service_layer import accounts, agencies, second_factor, tenants
from snp_identity.service_layer.context import IdentityContext, InvalidInput
from snp_platform.eventstore import EventMetadata

DEMO_TENANT = "demo"
DEMO_TENANT_NAME = "Demo Constabulary"
# The demo partner acts for this agency of the demo force (made with it, once).
DEMO_AGENCY = ("Demo Council ASB team", "council")


@dataclass(frozen=True)
class DemoAccount:
    kind: str
    tenant: str
    email: str
    display_name: str
    password: str
    totp_secret: str

    @property
    def contact(self) -> Contact:
        return Contact(self.display_name, self.email)


def _derive(seed: str, label: str) -> bytes:
    return hmac.new(seed.encode(), label.encode(), hashlib.sha256).digest()


def _password(seed: str, context: list[str]) -> str:
    """The first derived password that passes the checks any account's must (ASVS 2.1)."""
    for attempt in range(100):
        raw = base64.urlsafe_b64encode(_derive(seed, f"password:{attempt}")).decode()
        candidate = f"{raw[:6]}-{raw[6:12]}-{raw[12:18]}"
        if not check_password(candidate, context):
            return candidate
    raise InvalidInput(["no derived demo password passes the password rules"])


def plan(seed: str) -> list[DemoAccount]:
    """The demo accounts this seed makes: one of each kind, all with one password."""
    if len(seed) < 16:
        raise InvalidInput(["the demo seed must be at least 16 characters"])
    people = []
    for kind in sorted(KINDS):
        words = kind.replace("_", " ")
        email = f"{kind.replace('_', '-')}@{DEMO_TENANT}.example"
        people.append((kind, email, f"Demo {words}"))
    context = [word for _, email, name in people for word in (email.split("@")[0], name)]
    password = _password(seed, context)
    made = []
    for kind, email, name in people:
        secret = base64.b32encode(_derive(seed, f"totp:{kind}")[:20]).decode("ascii")
        tenant = OPERATORS_TENANT if kind == "operator" else DEMO_TENANT
        made.append(DemoAccount(kind, tenant, email, name, password, secret))
    for account in made:  # the same checks registration makes, before anything is written
        local_part = account.email.split("@")[0]
        problems = account.contact.problems() + check_password(
            account.password, [local_part, account.display_name]
        )
        if problems:
            raise InvalidInput([f"demo {account.kind}: {p}" for p in problems])
    return made


def seed(ctx: IdentityContext, demo_seed: str) -> tuple[list[DemoAccount], list[DemoAccount]]:
    """Make whatever of the demo tenant and its accounts is missing. Returns the accounts whose
    sign-in is as planned, and those that exist with another password (changed since)."""
    made = plan(demo_seed)
    meta = EventMetadata(actor="cli:seed-demo")
    if not tenants.tenant_exists(ctx.streams, DEMO_TENANT):
        tenants.register_tenant(ctx.streams, DEMO_TENANT, DEMO_TENANT_NAME, meta)
    ready, changed = [], []
    for account in made:
        account_id = _existing(ctx, account)
        if account_id is not None and not _password_is(ctx, account_id, account.password):
            changed.append(account)
            continue
        agency_id = _demo_agency(ctx, meta) if account.kind == "partner" else ""
        account_id = account_id or accounts.register_account(
            ctx,
            account.tenant,
            account.kind,
            account.contact,
            account.password,
            meta,
            "cli",
            agency_id=agency_id,
        )
        state, _version = accounts.load(ctx, account.tenant, account_id)
        if state.totp is not TotpState.ENROLLED:
            second_factor.start(ctx, account.tenant, account_id, meta, account.totp_secret)
            # Confirmed with the previous step's code (one step of drift is allowed), so the
            # current code is still unused and a newcomer can sign in with it at once.
            code = pyotp.TOTP(account.totp_secret).at(ctx.clock() - STEP_SECONDS)
            second_factor.confirm(ctx, account.tenant, account_id, code, meta)
        ready.append(account)
    return ready, changed


def _demo_agency(ctx: IdentityContext, meta: EventMetadata) -> str:
    """The demo force's council agency, registered by the first seed that needs it."""
    name, kind = DEMO_AGENCY
    with ctx.pool.connection() as conn:
        found = agency_records.agencies_of(conn, DEMO_TENANT)
    for agency in found:
        if agency.name == name and agency.status == "active":
            return agency.agency_id
    return agencies.register_agency(ctx, DEMO_TENANT, name, kind, "cli", meta)


def _existing(ctx: IdentityContext, account: DemoAccount) -> str | None:
    index = blind_index(ctx.index_key, normalise_email(account.email))
    with ctx.pool.connection() as conn:
        row = records.find_by_email(conn, account.tenant, index)
    return None if row is None else row.account_id


def _password_is(ctx: IdentityContext, account_id: str, password: str) -> bool:
    with ctx.pool.connection() as conn:
        creds = records.credentials(conn, account_id)
    return creds is not None and ctx.hasher.verify(creds.password_hash, password)
