"""Enrolling an authenticator app (TOTP, RFC 6238), replacing it, and its recovery codes."""

from __future__ import annotations

from dataclasses import dataclass

from snp_identity.adapters import records
from snp_identity.adapters.totp import (
    hash_recovery_code,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    verify_code,
)
from snp_identity.domain import accounts
from snp_identity.service_layer import accounts as account_cases
from snp_identity.service_layer.context import IdentityContext, InvalidInput, seal, unseal
from snp_platform.eventstore import EventMetadata


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str


def start(
    ctx: IdentityContext,
    tenant: str,
    account_id: str,
    metadata: EventMetadata,
    secret: str | None = None,
) -> Enrolment:
    """A fresh secret (or the demo seed's), stored encrypted until the first code confirms it."""
    secret = secret or new_secret()
    account_cases.change(ctx, tenant, account_id, accounts.start_totp_enrolment, metadata)
    with ctx.pool.connection() as conn, conn.transaction():
        data_key = _data_key(ctx, conn, account_id)
        records.save_totp(
            conn, account_id, seal(data_key, tenant, account_id, "totp", secret), None
        )
    return Enrolment(secret, provisioning_uri(secret, account_id))


def start_replacement(
    ctx: IdentityContext, tenant: str, account_id: str, metadata: EventMetadata
) -> Enrolment:
    """A new secret beside the enrolled one, which keeps working until this one is confirmed."""
    secret = new_secret()
    account_cases.change(ctx, tenant, account_id, accounts.start_totp_replacement, metadata)
    with ctx.pool.connection() as conn, conn.transaction():
        sealed = seal(_data_key(ctx, conn, account_id), tenant, account_id, "totp", secret)
        records.save_pending_totp(conn, account_id, sealed)
    return Enrolment(secret, provisioning_uri(secret, account_id))


def confirm(
    ctx: IdentityContext, tenant: str, account_id: str, code: str, metadata: EventMetadata
) -> list[str]:
    """Check the new authenticator's first code (a first one, or a replacement); on success
    it is the account's authenticator and ten new single-use recovery codes are returned
    (shown once; earlier codes stop working)."""
    state, _version = account_cases.load(ctx, tenant, account_id)
    accounts.confirm_totp(state)  # refused here, before any secret or code is touched
    with ctx.pool.connection() as conn, conn.transaction():
        creds = records.credentials(conn, account_id)
        sealed = creds.pending_totp_secret if state.replacing_totp and creds else None
        sealed = sealed or (creds.totp_secret if creds else None)
        if creds is None or sealed is None or state.totp is accounts.TotpState.NONE:
            raise InvalidInput(["start the enrolment first"])
        secret = unseal(_data_key(ctx, conn, account_id), tenant, account_id, "totp", sealed)
        # A new secret's steps have never been used; the old one's last step does not apply.
        last_step = None if state.replacing_totp else creds.totp_last_step
        step = verify_code(secret, code, ctx.clock(), last_step)
        if step is None:
            raise InvalidInput(["the code is not valid; check the time on your device"])
        codes = new_recovery_codes()
        records.save_totp(conn, account_id, sealed, step, [hash_recovery_code(c) for c in codes])
        records.save_pending_totp(conn, account_id, None)
    account_cases.change(ctx, tenant, account_id, accounts.confirm_totp, metadata)
    return codes


def renew_recovery_codes(
    ctx: IdentityContext, tenant: str, account_id: str, metadata: EventMetadata
) -> list[str]:
    """Ten new recovery codes in place of every earlier one (shown once)."""
    codes = new_recovery_codes()
    account_cases.change(
        ctx, tenant, account_id, lambda a: accounts.renew_recovery_codes(a, len(codes)), metadata
    )
    with ctx.pool.connection() as conn, conn.transaction():
        creds = records.credentials(conn, account_id)
        if creds is None:
            raise InvalidInput(["the account has been erased"])
        hashes = [hash_recovery_code(c) for c in codes]
        records.save_totp(conn, account_id, creds.totp_secret, creds.totp_last_step, hashes)
    return codes


def recovery_codes_left(ctx: IdentityContext, account_id: str) -> int:
    with ctx.pool.connection() as conn:
        creds = records.credentials(conn, account_id)
    return len(creds.recovery_hashes) if creds else 0


def _data_key(ctx: IdentityContext, conn: records.Conn, account_id: str) -> bytes:
    wrapped = records.wrapped_data_key(conn, account_id)
    if wrapped is None:
        raise InvalidInput(["the account has been erased"])
    return ctx.keks.unwrap(wrapped)
