"""Resetting a staff member's authenticator: one tenant admin asks (with a reason), a second
one approves or rejects. Approval is one transaction: the approval event, the authenticator
and recovery codes gone, every session ended; the account enrols again at its next sign-in,
and messaging mails the account what happened (from the event). The policy has already said
who may ask and approve (never for oneself, never one's own request)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from snp_identity.adapters import authenticator_resets, records
from snp_identity.domain import authenticator_resets as resets
from snp_identity.service_layer import accounts as account_cases
from snp_identity.service_layer.context import IdentityContext, NotFound, seal, unseal
from snp_identity.service_layer.families import revoke_every_family
from snp_platform.eventstore import EventMetadata

REASON_FIELD = "authenticator_reset_reason"


@dataclass(frozen=True)
class WaitingReset:
    request_id: str
    account_id: str
    requested_by: str
    reason: str
    requested_at: float
    expires_at: float


def request(
    ctx: IdentityContext,
    tenant: str,
    account_id: str,
    requested_by: str,
    reason: str,
    metadata: EventMetadata,
) -> tuple[str, int]:
    """Ask for the reset; (request id, when it expires)."""
    request_id = str(uuid.uuid4())
    sealed = seal(_data_key(ctx, account_id), tenant, account_id, REASON_FIELD, reason)
    after = account_cases.change(
        ctx,
        tenant,
        account_id,
        lambda a: resets.request_reset(a, request_id, requested_by, sealed, ctx.clock()),
        metadata,
    )
    return request_id, after.reset_request.expires_at if after.reset_request else 0


def approve(
    ctx: IdentityContext,
    tenant: str,
    account_id: str,
    request_id: str,
    approved_by: str,
    metadata: EventMetadata,
) -> None:
    def without_second_factor_or_sessions(conn: records.Conn) -> None:
        records.forget_second_factor(conn, account_id)
        row = records.find_account(conn, tenant, account_id)
        if row is None:
            raise NotFound(account_id)
        revoke_every_family(ctx, conn, row, "authenticator_reset", metadata)

    account_cases.change(
        ctx,
        tenant,
        account_id,
        lambda a: resets.approve_reset(a, request_id, approved_by, ctx.clock()),
        metadata,
        then=without_second_factor_or_sessions,
    )


def reject(
    ctx: IdentityContext,
    tenant: str,
    account_id: str,
    request_id: str,
    rejected_by: str,
    metadata: EventMetadata,
) -> None:
    account_cases.change(
        ctx,
        tenant,
        account_id,
        lambda a: resets.reject_reset(a, request_id, rejected_by, ctx.clock()),
        metadata,
    )


def requested_by(ctx: IdentityContext, tenant: str, account_id: str, request_id: str) -> str:
    """Who asked for the waiting reset (the policy's `requested_by`), or NotFound."""
    state, _version = account_cases.load(ctx, tenant, account_id)
    waiting = state.reset_request
    if waiting is None or waiting.request_id != request_id:
        raise resets.ResetNotWaiting("this reset is not waiting for a decision")
    return waiting.requested_by


def waiting_resets(ctx: IdentityContext, tenant: str) -> dict[str, WaitingReset]:
    """The force's waiting resets by account, each reason unsealed for its administrators."""
    with ctx.pool.connection() as conn:
        rows = authenticator_resets.waiting(conn, tenant, ctx.clock())
        keys = {r.account_id: records.wrapped_data_key(conn, r.account_id) for r in rows}
    found: dict[str, WaitingReset] = {}
    for row in rows:
        wrapped = keys[row.account_id]
        if wrapped is None:
            continue
        key = ctx.keks.unwrap(wrapped)
        reason = unseal(key, tenant, row.account_id, REASON_FIELD, bytes(row.reason))
        found[row.account_id] = WaitingReset(
            row.request_id,
            row.account_id,
            row.requested_by,
            reason,
            row.requested_at,
            row.expires_at,
        )
    return found


def _data_key(ctx: IdentityContext, account_id: str) -> bytes:
    with ctx.pool.connection() as conn:
        wrapped = records.wrapped_data_key(conn, account_id)
    if wrapped is None:
        raise NotFound(account_id)
    return ctx.keks.unwrap(wrapped)
