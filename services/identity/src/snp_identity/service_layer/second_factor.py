"""Enrolling an authenticator app (TOTP, RFC 6238) and its recovery codes."""

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


def confirm(
    ctx: IdentityContext, tenant: str, account_id: str, code: str, metadata: EventMetadata
) -> list[str]:
    """Check the first code; on success return ten single-use recovery codes (shown once)."""
    with ctx.pool.connection() as conn, conn.transaction():
        creds = records.credentials(conn, account_id)
        if creds is None or creds.totp_secret is None:
            raise InvalidInput(["start the enrolment first"])
        secret = unseal(
            _data_key(ctx, conn, account_id), tenant, account_id, "totp", creds.totp_secret
        )
        step = verify_code(secret, code, ctx.clock(), creds.totp_last_step)
        if step is None:
            raise InvalidInput(["the code is not valid; check the time on your device"])
        codes = new_recovery_codes()
        records.save_totp(
            conn, account_id, creds.totp_secret, step, [hash_recovery_code(c) for c in codes]
        )
    account_cases.change(ctx, tenant, account_id, accounts.confirm_totp, metadata)
    return codes


def _data_key(ctx: IdentityContext, conn: records.Conn, account_id: str) -> bytes:
    wrapped = records.wrapped_data_key(conn, account_id)
    if wrapped is None:
        raise InvalidInput(["the account has been erased"])
    return ctx.keks.unwrap(wrapped)
