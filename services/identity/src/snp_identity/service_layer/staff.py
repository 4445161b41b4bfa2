"""The force's staff accounts, listed for its administrators: who (name and email, decrypted
under each account's key), which kind, whether the account holds its role, can sign in, has an
authenticator, when it last signed in, whether its set-up link is still unused, and any reset
of its authenticator waiting for a second administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from snp_identity.adapters import reset_records, staff_directory
from snp_identity.service_layer.authenticator_resets import WaitingReset, waiting_resets
from snp_identity.service_layer.context import IdentityContext
from snp_identity.service_layer.directory import shown_contacts


@dataclass(frozen=True)
class StaffMember:
    account_id: str
    kind: str
    display_name: str
    email: str
    status: str  # "active" | "disabled"
    holds_role: bool  # a staff account acts in its kind only while it holds that role
    authenticator: str  # "none" | "pending" | "enrolled"
    last_sign_in: datetime | None
    awaiting_set_up: bool  # its set-up link is mailed and not used yet
    authenticator_reset: WaitingReset | None  # asked, waiting for a second administrator
    agency_id: str | None = None  # the agency a partner acts for


def list_staff(ctx: IdentityContext, tenant: str) -> list[StaffMember]:
    """The force's staff accounts by name (erased ones are gone, members never listed)."""
    with ctx.pool.connection() as conn:
        rows = staff_directory.staff_of(conn, tenant)
        waiting = reset_records.open_set_up_links(conn, tenant, ctx.clock())
    contacts = shown_contacts(ctx, tenant, [r.account_id for r in rows])
    resets = waiting_resets(ctx, tenant)
    found = [
        StaffMember(
            row.account_id,
            row.kind,
            contacts[row.account_id].display_name,
            contacts[row.account_id].email,
            row.status,
            row.kind in row.roles,
            row.totp,
            row.last_sign_in,
            row.account_id in waiting,
            resets.get(row.account_id),
            row.agency_id,
        )
        for row in rows
        if row.account_id in contacts
    ]
    return sorted(found, key=lambda s: (s.display_name.casefold(), s.account_id))
