"""The agency aggregate, and partner accounts that name their agency."""

from __future__ import annotations

import pytest
from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb
from snp_identity.domain import accounts, agencies
from snp_identity.domain.accounts import AccountRuleBroken
from snp_identity.domain.agencies import Agency, AgencyRuleBroken, InvalidAgency, fold
from snp_identity.domain.events import event_type, parse_event

CONTACT = pb.EncryptedContact(display_name=b"\x01name", email=b"\x01email")


def registered() -> list[Message]:
    return agencies.register(Agency("g1"), "  Camden   Council ASB ", "council", "admin-1")


def test_registering_an_agency_keeps_its_name_tidy_and_its_kind() -> None:
    assert registered() == [
        pb.AgencyRegistered(
            agency_id="g1", name="Camden Council ASB", kind="council", registered_by="admin-1"
        )
    ]
    agency = fold("g1", registered())
    assert (agency.name, agency.kind, agency.retired, agency.version) == (
        "Camden Council ASB",
        "council",
        False,
        1,
    )


@pytest.mark.parametrize(
    ("name", "kind", "problem"),
    [
        ("", "council", "Enter the agency's name"),
        ("  \t ", "council", "Enter the agency's name"),
        ("x" * 201, "council", "200 characters or fewer"),
        ("Fire", "army", "Choose the kind of agency"),
        ("Bad\x00name", "fire", "control characters"),
    ],
)
def test_bad_names_and_kinds_are_refused(name: str, kind: str, problem: str) -> None:
    with pytest.raises(InvalidAgency) as refused:
        agencies.register(Agency("g1"), name, kind, "admin-1")
    assert any(problem in p for p in refused.value.problems)


def test_every_problem_is_told_at_once() -> None:
    with pytest.raises(InvalidAgency) as refused:
        agencies.register(Agency("g1"), "", "army", "admin-1")
    assert len(refused.value.problems) == 2


def test_an_agency_registers_once() -> None:
    with pytest.raises(AgencyRuleBroken):
        agencies.register(fold("g1", registered()), "Again", "other", "admin-1")


def test_renaming_records_only_a_change_and_retiring_ends_changes() -> None:
    history = registered()
    agency = fold("g1", history)
    assert agencies.rename(agency, "Camden  Council ASB", "admin-2") == []
    renamed = agencies.rename(agency, "Camden ASB team", "admin-2")
    assert renamed == [
        pb.AgencyRenamed(agency_id="g1", name="Camden ASB team", renamed_by="admin-2")
    ]
    retired = agencies.retire(fold("g1", [*history, *renamed]), "admin-2", ["p2", "p1"])
    # The partners are named, in a stable order, for every service to end their access.
    assert retired == [
        pb.AgencyRetired(agency_id="g1", retired_by="admin-2", partner_account_ids=["p1", "p2"])
    ]
    gone = fold("g1", [*history, *renamed, *retired])
    assert (gone.name, gone.retired, gone.version) == ("Camden ASB team", True, 3)
    with pytest.raises(AgencyRuleBroken, match="retired"):
        agencies.retire(gone, "admin-2", [])
    with pytest.raises(AgencyRuleBroken, match="retired"):
        agencies.rename(gone, "Back", "admin-2")
    with pytest.raises(AgencyRuleBroken, match="no such agency"):
        agencies.retire(Agency("nope"), "admin-2", [])


def test_agency_events_round_trip_the_codec() -> None:
    for event in [*registered(), pb.AgencyRenamed(agency_id="g1"), pb.AgencyRetired()]:
        assert parse_event(event_type(event), event.SerializeToString()) == event


def test_a_partner_account_and_only_a_partner_account_names_its_agency() -> None:
    events = accounts.register(accounts.Account("a1"), "partner", CONTACT, "admin-1", "g1")
    partner = accounts.fold("a1", events)
    assert (partner.kind, partner.agency_id, partner.roles) == (
        "partner",
        "g1",
        frozenset({"partner"}),
    )
    assert events[0].agency_id == "g1"  # type: ignore[attr-defined]
    with pytest.raises(AccountRuleBroken, match="names its agency"):
        accounts.register(accounts.Account("a1"), "partner", CONTACT, "admin-1")
    with pytest.raises(AccountRuleBroken, match="names its agency"):
        accounts.register(accounts.Account("a1"), "police", CONTACT, "admin-1", "g1")
    assert "partner" in accounts.STAFF_KINDS
    assert "partner" in accounts.CREATABLE_BY_TENANT_ADMIN
