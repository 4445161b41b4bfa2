"""An authenticator reset waits for a second administrator, and a force keeps an
administrator: both decided from the account's events alone (the policy decides who)."""

from __future__ import annotations

import pytest
from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb
from snp_identity.domain import accounts
from snp_identity.domain import authenticator_resets as resets
from snp_identity.domain.accounts import AccountRuleBroken, Status, TotpState, fold
from snp_identity.domain.administrators import (
    LastAdministrator,
    acts_as_administrator,
    keep_an_administrator,
)

CONTACT = pb.EncryptedContact(display_name=b"\x01name", email=b"\x01email")
NOW = 1_800_000_000.0
DAY = 24 * 3600


def enrolled(kind: str = "police") -> list[Message]:
    events = list(accounts.register(accounts.Account("a1"), kind, CONTACT, "admin-1"))
    events.append(pb.TotpEnrolmentStarted(account_id="a1"))
    events.append(pb.TotpEnrolled(account_id="a1"))
    return events


def asked(history: list[Message], request_id: str = "r1", now: float = NOW) -> list[Message]:
    return resets.request_reset(fold("a1", history), request_id, "admin-1", b"\x01sealed", now)


def test_a_request_waits_a_day_and_changes_nothing_yet() -> None:
    history = enrolled()
    (requested,) = asked(history)
    assert requested == pb.AuthenticatorResetRequested(
        account_id="a1",
        request_id="r1",
        requested_by="admin-1",
        reason=b"\x01sealed",
        expires_at=int(NOW) + DAY,
    )
    account = fold("a1", [*history, requested])
    assert account.totp is TotpState.ENROLLED
    assert account.reset_request == accounts.ResetRequest("r1", "admin-1", int(NOW) + DAY)


def test_approval_removes_the_authenticator_and_the_request() -> None:
    history = [*enrolled(), *asked(enrolled())]
    (approved,) = resets.approve_reset(fold("a1", history), "r1", "admin-2", NOW + 60)
    assert approved == pb.AuthenticatorResetApproved(
        account_id="a1", request_id="r1", requested_by="admin-1", approved_by="admin-2"
    )
    after = fold("a1", [*history, approved])
    assert (after.totp, after.reset_request, after.status) == (TotpState.NONE, None, Status.ACTIVE)
    # Enrolling again is the ordinary path once more.
    assert accounts.start_totp_enrolment(after) == [pb.TotpEnrolmentStarted(account_id="a1")]
    with pytest.raises(resets.ResetNotWaiting):
        resets.approve_reset(after, "r1", "admin-3", NOW + 120)


def test_rejection_ends_the_request_and_keeps_the_authenticator() -> None:
    history = [*enrolled(), *asked(enrolled())]
    (rejected,) = resets.reject_reset(fold("a1", history), "r1", "admin-2", NOW)
    assert rejected == pb.AuthenticatorResetRejected(
        account_id="a1", request_id="r1", rejected_by="admin-2"
    )
    after = fold("a1", [*history, rejected])
    assert (after.totp, after.reset_request) == (TotpState.ENROLLED, None)


def test_one_request_at_a_time_and_a_lapsed_one_is_recorded_as_expired() -> None:
    history = [*enrolled(), *asked(enrolled())]
    with pytest.raises(AccountRuleBroken, match="already waiting"):
        asked(history, "r2", NOW + 60)
    with pytest.raises(resets.ResetRequestExpired):
        resets.approve_reset(fold("a1", history), "r1", "admin-2", NOW + DAY)
    with pytest.raises(resets.ResetRequestExpired):
        resets.reject_reset(fold("a1", history), "r1", "admin-2", NOW + DAY)
    with pytest.raises(resets.ResetNotWaiting):
        resets.approve_reset(fold("a1", history), "other", "admin-2", NOW)
    expired, requested = asked(history, "r2", NOW + DAY)
    assert expired == pb.AuthenticatorResetExpired(account_id="a1", request_id="r1")
    assert isinstance(requested, pb.AuthenticatorResetRequested) and requested.request_id == "r2"


def test_only_an_active_staff_account_with_an_authenticator_is_reset() -> None:
    member = list(accounts.register(accounts.Account("a1"), "member", CONTACT, "self"))
    member += [pb.TotpEnrolmentStarted(account_id="a1"), pb.TotpEnrolled(account_id="a1")]
    with pytest.raises(AccountRuleBroken, match="staff"):
        asked(member)
    never_enrolled = list(accounts.register(accounts.Account("a1"), "police", CONTACT, "x"))
    with pytest.raises(AccountRuleBroken, match="no authenticator"):
        asked(never_enrolled)
    disabled = [*enrolled(), *asked(enrolled()), pb.AccountDisabled(account_id="a1")]
    with pytest.raises(AccountRuleBroken, match="active"):
        asked(disabled[:-2] + disabled[-1:])
    with pytest.raises(AccountRuleBroken, match="active"):
        resets.approve_reset(fold("a1", disabled), "r1", "admin-2", NOW)
    erased = fold("a1", [*enrolled(), *asked(enrolled()), pb.AccountErased(account_id="a1")])
    assert erased.reset_request is None


def admin(*more: Message) -> accounts.Account:
    return fold("a1", [*enrolled("tenant_admin"), *more])


def test_an_administrator_acts_while_active_and_holding_the_role() -> None:
    assert acts_as_administrator(admin())
    assert not acts_as_administrator(admin(pb.RoleRevoked(account_id="a1", role="tenant_admin")))
    assert not acts_as_administrator(admin(pb.AccountDisabled(account_id="a1")))
    assert not acts_as_administrator(fold("a1", enrolled("police")))


@pytest.mark.parametrize(
    "removal",
    [
        pb.RoleRevoked(account_id="a1", role="tenant_admin"),
        pb.AccountDisabled(account_id="a1"),
        pb.AccountErased(account_id="a1"),
    ],
)
def test_the_last_active_administrator_is_never_removed(removal: Message) -> None:
    before, after = admin(), admin(removal)
    with pytest.raises(LastAdministrator, match="last active administrator"):
        keep_an_administrator(before, after, other_administrators=0)
    keep_an_administrator(before, after, other_administrators=1)


def test_other_changes_and_other_kinds_need_no_other_administrator() -> None:
    keep_an_administrator(admin(), admin(pb.ContactUpdated(account_id="a1")), 0)
    officer = fold("a1", enrolled("police"))
    keep_an_administrator(officer, fold("a1", [*enrolled("police"), pb.AccountDisabled()]), 0)
    # An administrator already without the role can be disabled or erased: it removes none.
    revoked = admin(pb.RoleRevoked(account_id="a1", role="tenant_admin"))
    keep_an_administrator(revoked, admin(pb.AccountDisabled(account_id="a1")), 0)
