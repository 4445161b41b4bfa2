"""The account and tenant aggregates decide from their past events alone."""

from __future__ import annotations

import pytest
from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb
from snp_identity.domain import accounts, tenants
from snp_identity.domain.accounts import AccountRuleBroken, Status, TotpState, fold
from snp_identity.domain.events import EVENT_TYPES, event_type, parse_event

CONTACT = pb.EncryptedContact(display_name=b"\x01name", email=b"\x01email")


def registered(kind: str = "member") -> list[Message]:
    return list(accounts.register(accounts.Account("a1"), kind, CONTACT, "self"))


def test_registering_an_account_makes_it_active() -> None:
    member = fold("a1", registered("member"))
    assert (member.kind, member.status, member.version, member.roles) == (
        "member",
        Status.ACTIVE,
        1,
        frozenset(),
    )
    officer = fold("a1", registered("police"))
    assert (officer.kind, officer.status, officer.roles) == (
        "police",
        Status.ACTIVE,
        frozenset({"police"}),
    )


def test_a_staff_account_acts_only_while_holding_its_kinds_role() -> None:
    assert accounts.acts_in_role("member", [])
    assert accounts.acts_in_role("police", ["police"])
    assert not accounts.acts_in_role("police", [])
    assert not accounts.acts_in_role("auditor", ["police"])


def test_an_account_registers_once_and_only_known_kinds() -> None:
    with pytest.raises(AccountRuleBroken, match="already exists"):
        accounts.register(fold("a1", registered()), "member", CONTACT, "self")
    with pytest.raises(AccountRuleBroken, match="unknown account kind"):
        accounts.register(accounts.Account("a2"), "superuser", CONTACT, "self")
    with pytest.raises(AccountRuleBroken, match="display name and an email"):
        accounts.register(accounts.Account("a3"), "member", pb.EncryptedContact(), "self")


def test_totp_enrolment_is_started_then_confirmed_once() -> None:
    history = registered()
    with pytest.raises(AccountRuleBroken, match="no authenticator enrolment"):
        accounts.confirm_totp(fold("a1", history))
    history += accounts.start_totp_enrolment(fold("a1", history))
    history += accounts.confirm_totp(fold("a1", history))
    assert fold("a1", history).totp is TotpState.ENROLLED
    with pytest.raises(AccountRuleBroken, match="already enrolled"):
        accounts.start_totp_enrolment(fold("a1", history))


def test_a_replacement_authenticator_keeps_the_old_one_until_confirmed() -> None:
    history = registered()
    with pytest.raises(AccountRuleBroken, match="no authenticator app is enrolled"):
        accounts.start_totp_replacement(fold("a1", history))
    history += accounts.start_totp_enrolment(fold("a1", history))
    history += accounts.confirm_totp(fold("a1", history))
    started = accounts.start_totp_replacement(fold("a1", history))
    assert started == [pb.TotpEnrolmentStarted(account_id="a1", replacing=True)]
    waiting = fold("a1", history + started)
    assert (waiting.totp, waiting.replacing_totp) == (TotpState.ENROLLED, True)
    confirmed = accounts.confirm_totp(waiting)
    assert confirmed == [pb.TotpReplaced(account_id="a1")]
    after = fold("a1", history + started + confirmed)
    assert (after.totp, after.replacing_totp) == (TotpState.ENROLLED, False)
    with pytest.raises(AccountRuleBroken, match="no authenticator enrolment"):
        accounts.confirm_totp(after)  # confirmed once


def test_recovery_codes_are_renewed_only_with_an_authenticator() -> None:
    history = registered()
    with pytest.raises(AccountRuleBroken, match="enrolled authenticator"):
        accounts.renew_recovery_codes(fold("a1", history), 10)
    history += accounts.start_totp_enrolment(fold("a1", history))
    history += accounts.confirm_totp(fold("a1", history))
    assert accounts.renew_recovery_codes(fold("a1", history), 10) == [
        pb.RecoveryCodesRenewed(account_id="a1", count=10)
    ]


def test_password_changes_and_reset_requests() -> None:
    member = fold("a1", registered())
    assert accounts.change_password(member, "reset", "r1") == [
        pb.PasswordChanged(account_id="a1", reason="reset", reset_id="r1")
    ]
    asked = accounts.request_password_reset(member, "r1", "tok", 1800)
    assert asked == [
        pb.PasswordResetRequested(account_id="a1", reset_id="r1", token="tok", expires_at=1800)
    ]
    disabled = fold("a1", [*registered(), *accounts.disable(member, "admin")])
    assert accounts.request_password_reset(disabled, "r2", "tok", 1800) == []
    with pytest.raises(AccountRuleBroken, match="disabled"):
        accounts.change_password(disabled, "changed")
    with pytest.raises(AccountRuleBroken, match="no such account"):
        accounts.change_password(accounts.Account("nobody"), "changed")


def test_a_staff_account_is_set_up_by_a_link_and_a_member_is_not() -> None:
    police = fold("a1", registered("police"))
    assert accounts.open_set_up_link(police, "r1", "tok", 3600) == [
        pb.PasswordResetRequested(
            account_id="a1", reset_id="r1", token="tok", expires_at=3600, purpose="set_up"
        )
    ]
    with pytest.raises(AccountRuleBroken, match="only staff accounts"):
        accounts.open_set_up_link(fold("a1", registered("member")), "r1", "tok", 3600)
    with pytest.raises(AccountRuleBroken, match="no such account"):
        accounts.open_set_up_link(accounts.Account("nobody"), "r1", "tok", 3600)


def test_roles_are_granted_and_revoked_idempotently() -> None:
    history = registered("police")
    assert accounts.grant_role(fold("a1", history), "police", "admin-1") == []
    history += accounts.revoke_role(fold("a1", history), "police", "admin-1")
    assert fold("a1", history).roles == frozenset()
    assert accounts.revoke_role(fold("a1", history), "police", "admin-1") == []
    history += accounts.grant_role(fold("a1", history), "police", "admin-1")
    assert fold("a1", history).roles == {"police"}


def test_the_only_grantable_role_is_the_staff_accounts_own_kind() -> None:
    with pytest.raises(AccountRuleBroken, match="own kind"):
        accounts.grant_role(fold("a1", registered("police")), "tenant_admin", "admin-1")
    with pytest.raises(AccountRuleBroken, match="own kind"):
        accounts.grant_role(fold("a1", registered("member")), "member", "admin-1")


def test_an_erased_account_accepts_nothing_more() -> None:
    history = registered("auditor")
    history += accounts.erase(fold("a1", history), "a1")
    erased = fold("a1", history)
    assert (erased.status, erased.roles) == (Status.ERASED, frozenset())
    for command in (
        lambda a: accounts.update_contact(a, CONTACT),
        accounts.start_totp_enrolment,
        lambda a: accounts.grant_role(a, "auditor", "admin"),
        lambda a: accounts.disable(a, "admin"),
        lambda a: accounts.erase(a, "admin"),
    ):
        with pytest.raises(AccountRuleBroken, match="erased"):
            command(erased)


def test_disabling_is_recorded_once() -> None:
    history = registered()
    history += accounts.disable(fold("a1", history), "admin")
    assert not fold("a1", history).usable
    assert accounts.disable(fold("a1", history), "admin") == []


def test_commands_on_a_missing_account_are_refused() -> None:
    with pytest.raises(AccountRuleBroken, match="no such account"):
        accounts.erase(accounts.Account("nobody"), "admin")


@pytest.mark.parametrize("slug", ["met", "city-of-london", "west-midlands-2"])
def test_tenant_slugs_that_are_accepted(slug: str) -> None:
    assert tenants.register_tenant([], slug, " Force ") == [
        pb.TenantRegistered(slug=slug, display_name="Force")
    ]


@pytest.mark.parametrize("slug", ["", "M", "Met", "met_police", "-met", "met-", "a" * 51, "../x"])
def test_tenant_slugs_that_are_refused(slug: str) -> None:
    with pytest.raises(tenants.TenantRuleBroken, match="slug"):
        tenants.register_tenant([], slug, "Force")


def test_a_tenant_registers_once() -> None:
    first = tenants.register_tenant([], "met", "Metropolitan Police")
    with pytest.raises(tenants.TenantRuleBroken, match="already registered"):
        tenants.register_tenant(first, "met", "Again")


def test_a_tenants_display_name_is_the_registered_one_and_none_before() -> None:
    assert tenants.display_name([]) is None
    registered = tenants.register_tenant([], "met", " Metropolitan Police Service ")
    assert tenants.display_name(registered) == "Metropolitan Police Service"


def test_every_event_type_round_trips_by_name() -> None:
    for name, message_type in EVENT_TYPES.items():
        message = message_type()
        assert event_type(message) == name
        assert parse_event(name, message.SerializeToString()) == message
    with pytest.raises(KeyError):
        parse_event("identity.Unknown", b"")


def test_failed_sign_ins_are_free_then_slowed_then_locked_out() -> None:
    from snp_identity.domain import throttling

    waits = [throttling.account_wait(n) for n in range(1, 12)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:9] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]
    assert waits[9:] == [900.0, 900.0]
    assert throttling.address_wait(20) == 0.0
    assert throttling.address_wait(21) == 1.0
    assert throttling.address_wait(100) == 900.0


LED = accounts.LedGroup("g1", "Elm Street Watch", "coordinator")


def test_a_member_leading_a_group_alone_cannot_erase_themself() -> None:
    member = fold("a1", registered("member"))
    with pytest.raises(accounts.LastLeader, match="Elm Street Watch: hand over first") as refused:
        accounts.erase(member, "a1", [LED])
    assert refused.value.groups == (LED,)
    assert isinstance(refused.value, AccountRuleBroken)  # a 409 like every rule of the account
    assert accounts.erase(member, "a1", []) == [pb.AccountErased(account_id="a1", erased_by="a1")]


def test_a_tenant_admin_erases_a_last_leader_all_the_same() -> None:
    member = fold("a1", registered("member"))
    assert accounts.erase(member, "admin-1", [LED]) == [
        pb.AccountErased(account_id="a1", erased_by="admin-1")
    ]


def test_a_contact_update_names_what_changed_in_order() -> None:
    [event] = accounts.update_contact(fold("a1", registered()), CONTACT, {"phone", "email"})
    assert isinstance(event, pb.ContactUpdated)
    assert list(event.changed) == ["email", "phone"]
