"""Ending an account's refresh families all at once: sign out everywhere, and what a new
password does to every other session.

Access tokens already issued are verified offline by every service and are not recalled: they
stop at their expiry (15 minutes by default). Each family revoked is a RefreshFamilyRevoked.
"""

from __future__ import annotations

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import records, token_records
from snp_identity.service_layer.context import IdentityContext, NotFound
from snp_identity.service_layer.sessions import record
from snp_platform.eventstore import EventMetadata


def revoke_every_family(
    ctx: IdentityContext,
    conn: records.Conn,
    account: records.AccountRow,
    reason: str,
    metadata: EventMetadata,
) -> int:
    """Inside the caller's transaction; how many families were still working."""
    families = token_records.account_families(conn, account.account_id, ctx.clock())
    for family_id in families:
        token_records.revoke_family(conn, family_id)
        revoked = pb.RefreshFamilyRevoked(
            account_id=account.account_id, family_id=family_id, reason=reason
        )
        record(ctx, conn, account, revoked, metadata)
    return len(families)


def sign_out_everywhere(
    ctx: IdentityContext, tenant: str, account_id: str, metadata: EventMetadata
) -> int:
    with ctx.pool.connection() as conn, conn.transaction():
        account = records.find_account(conn, tenant, account_id)
        if account is None:
            raise NotFound(account_id)
        return revoke_every_family(ctx, conn, account, "signed_out_everywhere", metadata)
