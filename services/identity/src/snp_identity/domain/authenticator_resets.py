"""Resetting a staff account's authenticator for someone who lost both their phone and their
recovery codes: one administrator asks, a second one approves, so no single administrator (or
whoever took over their session) can take an account over by swapping its second factor.

Pure: commands take the account's state and return the events. Who may ask and who may approve
(never for one's own account, never one's own request) is the policy's to decide, not here.
"""

from __future__ import annotations

from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb
from snp_identity.domain.accounts import (
    STAFF_KINDS,
    Account,
    AccountRuleBroken,
    ResetRequest,
    Status,
    TotpState,
)

# Long enough for a second administrator to see it the same working day, short enough that a
# forgotten request cannot be approved weeks later by surprise.
REQUEST_LIFETIME_SECONDS = 24 * 3600


class ResetNotWaiting(AccountRuleBroken):
    """No reset with that id waits for a decision on the account (decided, or never asked)."""


class ResetRequestExpired(AccountRuleBroken):
    """The request waited longer than its lifetime: it can only be asked again."""


def request_reset(
    account: Account, request_id: str, requested_by: str, sealed_reason: bytes, now: float
) -> list[Message]:
    """Ask for the reset; it waits for a second administrator. A lapsed earlier request is
    recorded as expired first, so the stream says what happened to it."""
    _require_resettable(account)
    events: list[Message] = []
    waiting = account.reset_request
    if waiting is not None and not waiting.expired(now):
        raise AccountRuleBroken("a reset of this account's authenticator is already waiting")
    if waiting is not None:
        events.append(
            pb.AuthenticatorResetExpired(
                account_id=account.account_id, request_id=waiting.request_id
            )
        )
    events.append(
        pb.AuthenticatorResetRequested(
            account_id=account.account_id,
            request_id=request_id,
            requested_by=requested_by,
            reason=sealed_reason,
            expires_at=int(now) + REQUEST_LIFETIME_SECONDS,
        )
    )
    return events


def approve_reset(account: Account, request_id: str, approved_by: str, now: float) -> list[Message]:
    """The reset itself: the account has no authenticator from here on and enrols again."""
    waiting = _waiting(account, request_id, now)
    _require_resettable(account)
    return [
        pb.AuthenticatorResetApproved(
            account_id=account.account_id,
            request_id=request_id,
            requested_by=waiting.requested_by,
            approved_by=approved_by,
        )
    ]


def reject_reset(account: Account, request_id: str, rejected_by: str, now: float) -> list[Message]:
    _waiting(account, request_id, now)
    return [
        pb.AuthenticatorResetRejected(
            account_id=account.account_id, request_id=request_id, rejected_by=rejected_by
        )
    ]


def _waiting(account: Account, request_id: str, now: float) -> ResetRequest:
    waiting = account.reset_request
    if waiting is None or waiting.request_id != request_id:
        raise ResetNotWaiting("this reset is not waiting for a decision")
    if waiting.expired(now):
        raise ResetRequestExpired("this reset request has expired: ask for it again")
    return waiting


def _require_resettable(account: Account) -> None:
    if account.status is not Status.ACTIVE:
        raise AccountRuleBroken("only an active account's authenticator can be reset")
    if account.kind not in STAFF_KINDS:
        raise AccountRuleBroken("only a staff account's authenticator is reset by administrators")
    if account.totp is not TotpState.ENROLLED:
        raise AccountRuleBroken("the account has no authenticator app to reset")
