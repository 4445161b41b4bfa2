"""Releasing contact details to other services, and recording every release."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import records
from snp_identity.adapters.crypto import blind_index
from snp_identity.adapters.event_streams import account_stream
from snp_identity.domain.contacts import Contact, normalise_email
from snp_identity.domain.disclosures import STAFF_LOOKUP, Purpose, released_only_with_agreement
from snp_identity.service_layer.context import IdentityContext, unseal
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata, Stream

MAX_BATCH = 500


def contacts(
    ctx: IdentityContext,
    tenant: str,
    account_ids: Sequence[str],
    caller: str,
    purpose: Purpose,
) -> dict[str, Contact]:
    """Decrypted contacts of the tenant's active accounts among `account_ids`. The release is
    one `ContactsBatchReleased` event naming every account found, with its purpose, so each
    member can be shown in words who asked and why; one event a batch, not one an account,
    keeps a fan-out to thousands from thousands of appends. The purpose was checked
    (`Purpose.problems`) already. A purpose that needs the member's agreement (the
    association's export) releases only the accounts that gave it: identity, which holds the
    details, keeps that promise, not the caller."""
    found: dict[str, Contact] = {}
    purpose = purpose.trimmed()
    agreement_needed = released_only_with_agreement(purpose)
    with ctx.pool.connection() as conn, conn.transaction():
        for account_id in dict.fromkeys(account_ids[:MAX_BATCH]):
            if agreement_needed and not records.shares_with_association(conn, tenant, account_id):
                continue
            contact = _contact(ctx, conn, tenant, account_id)
            if contact is not None:
                found[account_id] = contact
        if found:
            released = pb.ContactsBatchReleased(
                account_ids=list(found),
                requested_by=caller,
                purpose=purpose.summary(),
                why=release_purpose(purpose),
            )
            ctx.streams.append(
                Stream(tenant, f"contact-release:{uuid.uuid4()}"),
                [released],
                NO_STREAM,
                EventMetadata(actor=f"service:{caller}"),
                conn=conn,
            )
    return found


def member_by_email(
    ctx: IdentityContext,
    tenant: str,
    email: str,
    asked_by: str,
    metadata: EventMetadata,
    for_panel: str = "",
) -> tuple[str, str] | None:
    """(account id, display name) of the tenant's active member account with exactly this
    email address, or None. A staff lookup (police naming a ward panel's chair): what is
    released is recorded as `ContactsReleased` on the member's stream, in the same transaction,
    so the member can be shown who looked them up (and, when the caller says, for which panel's
    chair). Staff accounts are never found this way."""
    email_index = blind_index(ctx.index_key, normalise_email(email))
    with ctx.pool.connection() as conn, conn.transaction():
        account = records.find_by_email(conn, tenant, email_index)
        if account is None or account.kind != "member" or account.status != "active":
            return None
        contact = _contact(ctx, conn, tenant, account.account_id)
        if contact is None:
            return None
        purpose = Purpose(STAFF_LOOKUP, group_name=for_panel).trimmed()
        released = pb.ContactsReleased(
            account_id=account.account_id,
            requested_by=f"staff:{asked_by}",
            purpose=purpose.summary(),
            why=release_purpose(purpose),
        )
        ctx.streams.append(
            account_stream(tenant, account.account_id), [released], ANY_VERSION, metadata, conn=conn
        )
    return account.account_id, contact.display_name


def release_purpose(purpose: Purpose) -> pb.ReleasePurpose:
    return pb.ReleasePurpose(**vars(purpose))


def purpose_of(why: pb.ReleasePurpose) -> Purpose:
    return Purpose(**{name: getattr(why, name) for name in Purpose.__dataclass_fields__})


def display_names(ctx: IdentityContext, tenant: str, account_ids: Sequence[str]) -> dict[str, str]:
    """Display names only (shown in member lists; not recorded as a contact release)."""
    with ctx.pool.connection() as conn:
        named = {a: _contact(ctx, conn, tenant, a) for a in dict.fromkeys(account_ids[:MAX_BATCH])}
    return {a: c.display_name for a, c in named.items() if c is not None}


def shown_contacts(
    ctx: IdentityContext, tenant: str, account_ids: Sequence[str]
) -> dict[str, Contact]:
    """Contacts shown to a person the policy let see them (a force's administrators, their
    staff): no release to a service, so no ContactsReleased; the decision is in the audit log."""
    with ctx.pool.connection() as conn:
        found = {a: _contact(ctx, conn, tenant, a) for a in dict.fromkeys(account_ids)}
    return {a: c for a, c in found.items() if c is not None}


def _contact(
    ctx: IdentityContext, conn: records.Conn, tenant: str, account_id: str
) -> Contact | None:
    account = records.find_account(conn, tenant, account_id)
    wrapped = records.wrapped_data_key(conn, account_id)
    if account is None or account.status == "erased" or wrapped is None:
        return None
    if account.contact is None:
        return None
    latest = pb.EncryptedContact.FromString(account.contact)
    key = ctx.keks.unwrap(wrapped)
    return Contact(
        *(
            unseal(key, tenant, account_id, name, getattr(latest, name))
            for name in ("display_name", "email", "phone")
        )
    )


def display_contact(ctx: IdentityContext, tenant: str, account_id: str) -> Contact | None:
    """The account's own contact details, for showing to the account itself (not a release)."""
    with ctx.pool.connection() as conn:
        return _contact(ctx, conn, tenant, account_id)
