"""Use cases for accounts: register, change contact details, roles, disable, erase.

Each appends the account's events and updates identity's own tables in one transaction, so
the projection, the keys and the events never disagree.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import administrators, authenticator_resets, records, reset_records
from snp_identity.adapters.crypto import blind_index, new_data_key
from snp_identity.adapters.event_streams import account_stream
from snp_identity.adapters.membership import MembershipUnavailable
from snp_identity.adapters.passwords import check_password
from snp_identity.adapters.signing import hash_refresh_token
from snp_identity.domain import accounts
from snp_identity.domain.administrators import keep_an_administrator, removes_an_administrator
from snp_identity.domain.contacts import Contact, normalise_email
from snp_identity.domain.events import event_type
from snp_identity.service_layer.context import (
    IdentityContext,
    InvalidInput,
    LeadershipUnknown,
    NotFound,
    seal,
    unseal,
)
from snp_platform.eventstore import EventMetadata
from snp_platform.revocations import REVOKING_EVENTS, record_revocation

# A new staff member may not read their mail the day it is sent; the link still works once.
SET_UP_LIFETIME_SECONDS = 3 * 24 * 3600


def encrypt_contact(
    ctx: IdentityContext, data_key: bytes, tenant: str, account_id: str, contact: Contact
) -> pb.EncryptedContact:
    return pb.EncryptedContact(
        display_name=seal(data_key, tenant, account_id, "display_name", contact.display_name),
        email=seal(data_key, tenant, account_id, "email", contact.email),
        phone=seal(data_key, tenant, account_id, "phone", contact.phone),
    )


def register_account(
    ctx: IdentityContext,
    tenant: str,
    kind: str,
    contact: Contact,
    password: str | None,
    metadata: EventMetadata,
    registered_by: str = "self",
    agency_id: str = "",
) -> str:
    """Create an account with its own data key; refuse a taken email (same answer shape as
    any other invalid input, so registration does not confirm who has an account).

    Without a password (a tenant admin adding a staff member) its owner chooses one through a
    set-up link, recorded with the registration for messaging to mail; until then the account
    has a random password nobody knows, so nothing can sign in as it."""
    contact = contact.normalised()
    local_part = contact.email.split("@")[0]
    problems = contact.problems()
    if password is not None:
        problems += check_password(password, [local_part, contact.display_name])
    if problems:
        raise InvalidInput(problems)
    account_id = str(uuid.uuid4())
    email_index = blind_index(ctx.index_key, normalise_email(contact.email))
    data_key = new_data_key()
    encrypted = encrypt_contact(ctx, data_key, tenant, account_id, contact)
    events = accounts.register(
        accounts.Account(account_id), kind, encrypted, registered_by, agency_id
    )
    set_up: reset_records.ResetRow | None = None
    if password is None:
        password = secrets.token_urlsafe(32)
        token, reset_id = secrets.token_urlsafe(32), str(uuid.uuid4())
        expires_at = int(ctx.clock()) + SET_UP_LIFETIME_SECONDS
        registered = accounts.fold(account_id, events)
        events += accounts.open_set_up_link(registered, reset_id, token, expires_at)
        set_up = reset_records.ResetRow(
            hash_refresh_token(token),
            reset_id,
            account_id,
            tenant,
            expires_at,
            None,
            accounts.SET_UP,
        )
    password_hash = ctx.hasher.hash(password)
    with ctx.pool.connection() as conn, conn.transaction():
        if records.find_by_email(conn, tenant, email_index) is not None:
            raise InvalidInput(["this email address cannot be used to register"])
        ctx.streams.append(account_stream(tenant, account_id), events, 0, metadata, conn=conn)
        records.save_data_key(conn, account_id, ctx.keks.wrap(data_key))
        records.save_password(conn, account_id, password_hash)
        if set_up is not None:
            reset_records.save_reset(conn, set_up)
        _project(conn, tenant, accounts.fold(account_id, events), email_index)
        records.save_contact(conn, account_id, encrypted.SerializeToString())
    return account_id


def update_contact(
    ctx: IdentityContext, tenant: str, account_id: str, contact: Contact, metadata: EventMetadata
) -> None:
    """New contact details, encrypted under the account's key; the email stays unique."""
    contact = contact.normalised()
    if problems := contact.problems():
        raise InvalidInput(problems)
    email_index = blind_index(ctx.index_key, normalise_email(contact.email))
    with ctx.pool.connection() as conn:
        wrapped = records.wrapped_data_key(conn, account_id)
        holder = records.find_by_email(conn, tenant, email_index)
        current = records.find_account(conn, tenant, account_id)
    if wrapped is None:
        raise NotFound(account_id)
    if holder is not None and holder.account_id != account_id:
        raise InvalidInput(["this email address cannot be used"])
    data_key = ctx.keks.unwrap(wrapped)
    encrypted = encrypt_contact(ctx, data_key, tenant, account_id, contact)
    old = pb.EncryptedContact.FromString(current.contact) if current and current.contact else None
    changed = _changed_details(data_key, tenant, account_id, old, contact)
    change(
        ctx,
        tenant,
        account_id,
        lambda a: accounts.update_contact(a, encrypted, changed),
        metadata,
        email_index=email_index,
        contact=encrypted.SerializeToString(),
    )


def _changed_details(
    data_key: bytes, tenant: str, account_id: str, old: pb.EncryptedContact | None, new: Contact
) -> list[str]:
    """The names of the details that differ (emails compared as look-ups compare them)."""
    names = ("display_name", "email", "phone")
    if old is None:
        return list(names)
    before = {n: unseal(data_key, tenant, account_id, n, getattr(old, n)) for n in names}
    after = {"display_name": new.display_name, "email": new.email, "phone": new.phone}
    before["email"], after["email"] = normalise_email(before["email"]), normalise_email(new.email)
    return [n for n in names if before[n] != after[n]]


def erase(
    ctx: IdentityContext, tenant: str, account_id: str, erased_by: str, metadata: EventMetadata
) -> None:
    """Erase the account; its own request first asks membership which groups it leads alone
    (an administrator's erasure goes ahead whatever it leads, so membership is not asked)."""
    led: list[accounts.LedGroup] = []
    if erased_by == account_id:
        if ctx.leadership is None:
            raise LeadershipUnknown(account_id)
        try:
            led = ctx.leadership.groups_led_alone(tenant, account_id)
        except MembershipUnavailable as error:
            raise LeadershipUnknown(account_id) from error
    change(ctx, tenant, account_id, lambda a: accounts.erase(a, erased_by, led), metadata)


def load(ctx: IdentityContext, tenant: str, account_id: str) -> tuple[accounts.Account, int]:
    """The account as its events say, or NotFound (also for another tenant's account)."""
    history, version = _history(ctx, tenant, account_id)
    return accounts.fold(account_id, history), version


def change(
    ctx: IdentityContext,
    tenant: str,
    account_id: str,
    decide: accounts.Decision,
    metadata: EventMetadata,
    email_index: str | None = None,
    contact: bytes | None = None,
    then: Callable[[records.Conn], None] | None = None,
) -> accounts.Account:
    """Load, decide, append and project in one transaction; returns the new state. `then`
    does what else the change needs (secrets, sessions) in that same transaction."""
    history, version = _history(ctx, tenant, account_id)
    before = accounts.fold(account_id, history)
    events = decide(before)
    after = accounts.fold(account_id, [*history, *events])
    with ctx.pool.connection() as conn, conn.transaction():
        if removes_an_administrator(before, after):
            administrators.lock_administrators(conn, tenant)
            others = administrators.other_active_administrators(conn, tenant, account_id)
            keep_an_administrator(before, after, others)
        ctx.streams.append(account_stream(tenant, account_id), events, version, metadata, conn=conn)
        _revoke_access(conn, tenant, account_id, events)
        current = records.find_account(conn, tenant, account_id)
        index = email_index or (current.email_index if current else None)
        if after.status is accounts.Status.ERASED:
            records.destroy_account_secrets(conn, account_id)
            index = None
        _project(conn, tenant, after, index)
        authenticator_resets.apply(conn, tenant, events, ctx.clock())
        if contact is not None:
            records.save_contact(conn, account_id, contact)
        if then is not None:
            then(conn)
    return after


def _revoke_access(conn: records.Conn, tenant: str, account_id: str, events: list[Message]) -> None:
    """Identity's own APIs stop honouring the account's tokens in this same transaction; other
    services learn it from the events (see snp_platform.revocations)."""
    now = datetime.now(UTC)
    for event in events:
        revoking = REVOKING_EVENTS.get(event_type(event))
        if revoking is not None:
            record_revocation(conn, tenant, account_id, now, revoking[1])


def _history(ctx: IdentityContext, tenant: str, account_id: str) -> tuple[list[Message], int]:
    history, version = ctx.streams.load(account_stream(tenant, account_id))
    if not history:
        raise NotFound(account_id)
    return history, version


def _project(
    conn: records.Conn, tenant: str, account: accounts.Account, email_index: str | None
) -> None:
    records.save_account(
        conn,
        records.AccountRow(
            account.account_id,
            tenant,
            account.kind,
            account.status.value,
            email_index,
            account.totp.value,
            sorted(account.roles),
            account.version,
            agency_id=account.agency_id or None,
            shares_with_association=account.shares_with_association,
        ),
    )
