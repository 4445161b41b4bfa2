"""Changing a password when signed in, and resetting a forgotten one by an emailed link.

A reset request answers the same, in about the same time, whether or not the email is
registered: only a real, active account gets a PasswordResetRequested (which messaging mails).
A new password, either way, ends every other session (see families.py).
"""

from __future__ import annotations

import secrets
import time
import uuid

from snp_identity.adapters import records, reset_records, token_records
from snp_identity.adapters.crypto import blind_index
from snp_identity.adapters.passwords import check_password
from snp_identity.adapters.signing import hash_refresh_token
from snp_identity.domain import accounts, throttling
from snp_identity.domain.contacts import normalise_email
from snp_identity.service_layer import directory
from snp_identity.service_layer.context import IdentityContext, InvalidInput, NotFound
from snp_identity.service_layer.families import revoke_every_family
from snp_identity.service_layer.sessions import Tokens, TooManyAttempts, address_key, issue, record
from snp_platform.eventstore import EventMetadata

RESET_LIFETIME_SECONDS = 30 * 60
# Every reset request takes at least this long, so an answer's timing does not tell a
# registered email from an unknown one (the work for a real account is a few milliseconds).
RESET_ANSWER_SECONDS = 0.3


class WrongPassword(Exception):
    """The current password given to change it is not right (422 on the field)."""


class ResetLinkRefused(Exception):
    """A reset link that is unknown, expired (`used` False) or already used (410)."""

    def __init__(self, used: bool) -> None:
        super().__init__("reset link used" if used else "reset link expired")
        self.used = used


def _state(row: records.AccountRow) -> accounts.Account:
    return accounts.Account(row.account_id, row.kind, accounts.Status(row.status))


def password_problems(ctx: IdentityContext, tenant: str, account_id: str, password: str) -> None:
    """The rules registration applies, with this account's name and email as context."""
    contact = directory.display_contact(ctx, tenant, account_id)
    if contact is None:
        raise NotFound(account_id)
    context = [contact.email.split("@")[0], contact.display_name]
    if problems := check_password(password, context):
        raise InvalidInput(problems)


def change_password(
    ctx: IdentityContext,
    tenant: str,
    account_id: str,
    amr: list[str],
    current: str,
    new: str,
    metadata: EventMetadata,
) -> Tokens:
    """Check the current password (throttled like sign-in), set the new one, end every other
    session and return tokens of a new family for this one."""
    now = ctx.clock()
    key = f"pwd-change:{account_id}"
    with ctx.pool.connection() as conn, conn.transaction():
        locked_until = token_records.failures(conn, key)[1]
        if locked_until > now:
            raise TooManyAttempts(locked_until - now)
        row = records.find_account(conn, tenant, account_id)
        creds = records.credentials(conn, account_id) if row else None
        if row is None or creds is None:
            raise NotFound(account_id)
        right = ctx.hasher.verify(creds.password_hash, current)
        if not right:
            # Recorded, then refused once committed: the throttle must see every wrong guess.
            wait = throttling.account_wait(token_records.record_failure(conn, key, now, 0))
            if wait > 0:
                token_records.lock(conn, key, now + wait)
        else:
            password_problems(ctx, tenant, account_id, new)
            for event in accounts.change_password(_state(row), "changed"):
                record(ctx, conn, row, event, metadata)
            records.save_password(conn, account_id, ctx.hasher.hash(new))
            token_records.clear_failures(conn, key)
            revoke_every_family(ctx, conn, row, "password_changed", metadata)
            return issue(ctx, conn, account_id, tenant, row.kind, amr, str(uuid.uuid4()))
    raise WrongPassword()


def request_reset(
    ctx: IdentityContext, tenant: str, email: str, address: str, metadata: EventMetadata
) -> None:
    started = time.monotonic()
    try:
        _request_reset(ctx, tenant, email, address, metadata)
    finally:
        time.sleep(max(0.0, RESET_ANSWER_SECONDS - (time.monotonic() - started)))


def _request_reset(
    ctx: IdentityContext, tenant: str, email: str, address: str, metadata: EventMetadata
) -> None:
    now = ctx.clock()
    email_index = blind_index(ctx.index_key, normalise_email(email))
    # Keyed by the email asked for, not the account, so the limit is the same for anyone.
    limits = (
        (f"reset:acct:{tenant}:{email_index}", throttling.RESETS_PER_EMAIL),
        (f"reset:addr:{address_key(ctx, address)}", throttling.RESETS_PER_ADDRESS),
    )
    with ctx.pool.connection() as conn, conn.transaction():
        waits = [token_records.failures(conn, key)[1] - now for key, _ in limits]
        if max(waits) > 0:
            raise TooManyAttempts(max(waits))
        for key, allowed in limits:
            counted = token_records.count_request(conn, key, now, throttling.RESET_WINDOW_SECONDS)
            if throttling.reset_window_full(counted, allowed):
                token_records.lock(conn, key, now + throttling.RESET_WINDOW_SECONDS)
        row = records.find_by_email(conn, tenant, email_index)
        if row is None:
            return
        token, reset_id = secrets.token_urlsafe(32), str(uuid.uuid4())
        expires_at = int(now) + RESET_LIFETIME_SECONDS
        events = accounts.request_password_reset(_state(row), reset_id, token, expires_at)
        if not events:
            return
        reset_records.forget_expired(conn, now)
        reset_records.save_reset(
            conn,
            reset_records.ResetRow(
                hash_refresh_token(token), reset_id, row.account_id, tenant, expires_at, None
            ),
        )
        for event in events:
            record(ctx, conn, row, event, metadata)


def complete_reset(ctx: IdentityContext, token: str, new: str, metadata: EventMetadata) -> None:
    """Set the new password through a link (a reset, or a staff account's set-up): once,
    before it expires; ends every session."""
    now = ctx.clock()
    with ctx.pool.connection() as conn, conn.transaction():
        link = reset_records.take_reset(conn, hash_refresh_token(token))
        if link is None or (link.used_at is None and link.expires_at <= now):
            raise ResetLinkRefused(used=False)
        if link.used_at is not None:
            raise ResetLinkRefused(used=True)
        row = records.find_account(conn, link.tenant, link.account_id)
        if row is None or row.status != "active":
            raise ResetLinkRefused(used=False)
        password_problems(ctx, link.tenant, link.account_id, new)
        reason = "set_up" if link.purpose == accounts.SET_UP else "reset"
        for event in accounts.change_password(_state(row), reason, link.reset_id):
            record(ctx, conn, row, event, metadata)
        records.save_password(conn, row.account_id, ctx.hasher.hash(new))
        reset_records.spend_resets(conn, row.account_id, now)
        revoke_every_family(ctx, conn, row, "password_reset", metadata)
        # Whoever holds the mailbox may sign in at once, even if someone was guessing.
        token_records.clear_failures(conn, f"acct:{link.tenant}:{row.email_index}")
