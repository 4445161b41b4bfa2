"""Signing in, refreshing and signing out.

Unknown account and wrong password get the same answer and take the same time. Failures are
throttled per account and per client address; every success, failure and lockout is an event.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, replace

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import agency_records, records, token_records
from snp_identity.adapters.crypto import blind_index
from snp_identity.adapters.event_streams import account_stream
from snp_identity.adapters.signing import hash_refresh_token, issue_access_token, new_refresh_token
from snp_identity.adapters.totp import code_was_used, match_recovery_code, verify_code
from snp_identity.domain import accounts, throttling
from snp_identity.domain.contacts import normalise_email
from snp_identity.service_layer.context import IdentityContext, unseal
from snp_identity.service_layer.keys import keyring
from snp_platform.eventstore import ANY_VERSION, EventMetadata


class SignInRefused(Exception):
    """Wrong credentials (401). `second_factor_required` only once the password was right;
    `suspended` (403) only once every factor was right: a staff account whose role was revoked."""

    def __init__(
        self,
        second_factor_required: bool = False,
        suspended: bool = False,
        code_reused: bool = False,
        agency_retired: bool = False,
    ) -> None:
        super().__init__("sign-in refused")
        self.second_factor_required = second_factor_required
        self.suspended = suspended
        # A partner whose agency the force retired (403, also only once every factor was right).
        self.agency_retired = agency_retired
        self.code_reused = code_reused  # the right code, but for a time step already used


class TooManyAttempts(Exception):
    """Throttled (429); `retry_after` in whole seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("too many failed sign-ins")
        self.retry_after = max(1, int(retry_after + 0.999))


class RefreshRefused(Exception):
    """An unknown, expired, revoked or reused refresh token (401)."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    recovery_codes_left: int | None = None  # set when a recovery code was the second factor


@dataclass(frozen=True)
class SecondFactor:
    """How the code step went: `ok`; else `reused` (the right code, already used once)."""

    ok: bool
    reused: bool = False
    recovery_codes_left: int | None = None


def address_key(ctx: IdentityContext, address: str) -> str:
    """A keyed hash of the client address: enough to throttle and correlate, not the address."""
    return hmac.new(ctx.index_key, f"addr:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def sign_in(
    ctx: IdentityContext,
    tenant: str,
    email: str,
    password: str,
    second_factor: str | None,
    address: str,
    metadata: EventMetadata,
) -> Tokens:
    now = ctx.clock()
    email_index = blind_index(ctx.index_key, normalise_email(email))
    keys = (f"acct:{tenant}:{email_index}", f"addr:{address_key(ctx, address)}")
    with ctx.pool.connection() as conn, conn.transaction():
        waits = [token_records.failures(conn, k)[1] - now for k in keys]
        if max(waits) > 0:
            raise TooManyAttempts(max(waits))
        # A refusal is returned, not raised, so the failure it records is committed.
        outcome = _attempt(ctx, conn, tenant, email_index, password, second_factor, keys, metadata)
    if isinstance(outcome, SignInRefused):
        raise outcome
    return outcome


def _attempt(
    ctx: IdentityContext,
    conn: records.Conn,
    tenant: str,
    email_index: str,
    password: str,
    second_factor: str | None,
    keys: tuple[str, str],
    metadata: EventMetadata,
) -> Tokens | SignInRefused:
    now = ctx.clock()
    account = records.find_by_email(conn, tenant, email_index)
    creds = records.credentials(conn, account.account_id) if account else None
    if account is None or creds is None or account.status != "active":
        ctx.hasher.dummy_verify(password)
        _fail(ctx, conn, keys, now, None, "password", metadata)
        return SignInRefused()
    if not ctx.hasher.verify(creds.password_hash, password):
        _fail(ctx, conn, keys, now, account, "password", metadata)
        return SignInRefused()
    amr = ["pwd"]
    checked = SecondFactor(ok=False)
    if account.totp == "enrolled":
        if second_factor:
            checked = _check_second_factor(ctx, conn, account, creds, second_factor, metadata)
        if not checked.ok:
            if second_factor:
                _fail(ctx, conn, keys, now, account, "second_factor", metadata)
            return SignInRefused(second_factor_required=True, code_reused=checked.reused)
        amr += ["otp", "mfa"]
    if not accounts.acts_in_role(account.kind, account.roles):
        return SignInRefused(suspended=True)  # said only to whoever passed every factor
    if not _acts_for_active_agency(conn, account):
        return SignInRefused(agency_retired=True)
    for key in keys:
        token_records.clear_failures(conn, key)
    if ctx.hasher.needs_rehash(creds.password_hash):
        records.save_password(conn, account.account_id, ctx.hasher.hash(password))
        rehashed = pb.PasswordChanged(account_id=account.account_id, reason="rehash")
        record(ctx, conn, account, rehashed, metadata)
    succeeded = pb.SignInSucceeded(
        account_id=account.account_id, amr=amr, client_address_hash=keys[1][5:]
    )
    record(ctx, conn, account, succeeded, metadata)
    tokens = issue(ctx, conn, account.account_id, tenant, account.kind, amr, str(uuid.uuid4()))
    return replace(tokens, recovery_codes_left=checked.recovery_codes_left)


def refresh(ctx: IdentityContext, refresh_token: str, metadata: EventMetadata) -> Tokens:
    """Rotate: the presented token is spent; presenting a spent one revokes its whole family."""
    now = ctx.clock()
    token_hash = hash_refresh_token(refresh_token)
    with ctx.pool.connection() as conn:
        with conn.transaction():
            row = token_records.take_refresh(conn, token_hash)
            if row is None or row.revoked or row.expires_at <= now:
                raise RefreshRefused()
            account = records.find_account(conn, row.tenant, row.account_id)
            reused = row.used_at is not None
            if not reused and account is not None and _may_hold_tokens(conn, account):
                token_records.mark_used(conn, token_hash, now)
                return issue(
                    ctx, conn, row.account_id, row.tenant, account.kind, row.amr, row.family_id
                )
        with conn.transaction():  # reuse (a stolen token?) or a disabled account: end it all
            token_records.revoke_family(conn, row.family_id)
            if account is not None:
                reason = "reuse_detected" if reused else "account_disabled"
                record(
                    ctx,
                    conn,
                    account,
                    pb.RefreshFamilyRevoked(
                        account_id=row.account_id, family_id=row.family_id, reason=reason
                    ),
                    metadata,
                )
    raise RefreshRefused()


def sign_out(ctx: IdentityContext, refresh_token: str, metadata: EventMetadata) -> None:
    token_hash = hash_refresh_token(refresh_token)
    with ctx.pool.connection() as conn, conn.transaction():
        row = token_records.take_refresh(conn, token_hash)
        if row is None:
            return
        token_records.revoke_family(conn, row.family_id)
        account = records.find_account(conn, row.tenant, row.account_id)
        if account is not None:
            record(
                ctx,
                conn,
                account,
                pb.RefreshFamilyRevoked(
                    account_id=row.account_id, family_id=row.family_id, reason="signed_out"
                ),
                metadata,
            )


def _may_hold_tokens(conn: records.Conn, account: records.AccountRow) -> bool:
    return (
        account.status == "active"
        and accounts.acts_in_role(account.kind, account.roles)
        and _acts_for_active_agency(conn, account)
    )


def _acts_for_active_agency(conn: records.Conn, account: records.AccountRow) -> bool:
    """A partner acts only while its agency is active; every other kind names none."""
    if account.kind != accounts.PARTNER:
        return True
    agency = agency_records.find_agency(conn, account.tenant, account.agency_id or "")
    return agency is not None and agency.status == "active"


def _check_second_factor(
    ctx: IdentityContext,
    conn: records.Conn,
    account: records.AccountRow,
    creds: records.CredentialRow,
    code: str,
    metadata: EventMetadata,
) -> SecondFactor:
    data_key = ctx.keks.unwrap(records.wrapped_data_key(conn, account.account_id) or b"")
    secret = unseal(data_key, account.tenant, account.account_id, "totp", creds.totp_secret or b"")
    step = verify_code(secret, code, ctx.clock(), creds.totp_last_step)
    if step is not None:
        records.save_totp(conn, account.account_id, creds.totp_secret, step)
        return SecondFactor(ok=True)
    used = match_recovery_code(code, creds.recovery_hashes)
    if used is None:
        reused = code_was_used(secret, code, ctx.clock(), creds.totp_last_step)
        return SecondFactor(ok=False, reused=reused)
    remaining = [h for i, h in enumerate(creds.recovery_hashes) if i != used]
    records.save_totp(conn, account.account_id, creds.totp_secret, creds.totp_last_step, remaining)
    spent = pb.RecoveryCodeUsed(account_id=account.account_id, remaining=len(remaining))
    record(ctx, conn, account, spent, metadata)
    return SecondFactor(ok=True, recovery_codes_left=len(remaining))


def issue(
    ctx: IdentityContext,
    conn: records.Conn,
    account_id: str,
    tenant: str,
    kind: str,
    amr: list[str],
    family_id: str,
) -> Tokens:
    now = ctx.clock()
    agency = None
    if kind == accounts.PARTNER:
        row = records.find_account(conn, tenant, account_id)
        agency = row.agency_id if row else None
    access, _jti, _exp = issue_access_token(
        keyring(ctx, conn),
        subject=account_id,
        tenant=tenant,
        kind=kind,
        amr=amr,
        now=now,
        lifetime_seconds=ctx.access_lifetime,
        issuer=ctx.issuer,
        agency=agency,
    )
    refresh_token, refresh_hash = new_refresh_token()
    token_records.save_refresh(
        conn,
        token_records.RefreshRow(
            refresh_hash,
            family_id,
            account_id,
            tenant,
            amr,
            now + ctx.refresh_lifetime,
            None,
            False,
        ),
    )
    return Tokens(access, refresh_token, ctx.access_lifetime)


def _fail(
    ctx: IdentityContext,
    conn: records.Conn,
    keys: tuple[str, str],
    now: float,
    account: records.AccountRow | None,
    reason: str,
    metadata: EventMetadata,
) -> None:
    account_failures = token_records.record_failure(conn, keys[0], now, 0)
    address_failures = token_records.record_failure(conn, keys[1], now, 0)
    # Each key waits by its own count: one hammered account must not lock out a whole office.
    wait = throttling.account_wait(account_failures)
    for key, key_wait in ((keys[0], wait), (keys[1], throttling.address_wait(address_failures))):
        if key_wait > 0:
            token_records.lock(conn, key, now + key_wait)
    if account is None:
        return  # no stream to record on; the unknown email leaves no trace beyond the throttle
    record(
        ctx,
        conn,
        account,
        pb.SignInFailed(
            account_id=account.account_id, reason=reason, client_address_hash=keys[1][5:]
        ),
        metadata,
    )
    if account_failures >= throttling.ACCOUNT_LOCKOUT_AT:
        record(
            ctx,
            conn,
            account,
            pb.AccountLockedOut(account_id=account.account_id, seconds=int(wait)),
            metadata,
        )


def record(
    ctx: IdentityContext,
    conn: records.Conn,
    account: records.AccountRow,
    event: object,
    metadata: EventMetadata,
) -> None:
    stream = account_stream(account.tenant, account.account_id)
    ctx.streams.append(stream, [event], ANY_VERSION, metadata, conn=conn)  # type: ignore[list-item]
