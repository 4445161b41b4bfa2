"""Consent per information provider: who a provider's alert reaches and why, the force's
defaults, a member's choices and their changes, and the inbox's words (no database)."""

from __future__ import annotations

import pytest

from snp_messaging.domain.messages import MessageRuleBroken, Priority, sender_role
from snp_messaging.domain.preferences import Preferences
from snp_messaging.domain.providers import (
    NEIGHBOURHOOD_WATCH,
    POLICE,
    Basis,
    Provider,
    changed_choices,
    check_choices,
    check_defaults,
    consent_basis,
    default_on,
    member_reason,
    providers_of,
    reason,
)
from snp_messaging.domain.reach import Candidate, Reach, reach

COUNCIL = Provider("a-council", "Camden Council ASB team", "council")
FIRE = Provider("a-fire", "London Fire Brigade", "fire")
HOUSING = Provider("a-housing", "Camden Housing", "housing")
PROVIDERS = {p.id: p for p in providers_of("Metropolitan Police", [COUNCIL, FIRE, HOUSING])}


def test_the_providers_are_the_police_the_association_then_the_agencies() -> None:
    assert list(PROVIDERS) == [POLICE, NEIGHBOURHOOD_WATCH, "a-council", "a-fire", "a-housing"]
    assert PROVIDERS[POLICE] == Provider(POLICE, "Metropolitan Police", POLICE)
    assert PROVIDERS[NEIGHBOURHOOD_WATCH].name == "Neighbourhood Watch association"


def test_police_the_association_council_and_fire_are_on_by_default_and_the_force_decides() -> None:
    on = {i for i, p in PROVIDERS.items() if default_on(p, {})}
    assert on == {POLICE, NEIGHBOURHOOD_WATCH, "a-council", "a-fire"}
    assert not default_on(COUNCIL, {"a-council": False})
    assert default_on(HOUSING, {"a-housing": True})
    # A provider the force never decided keeps its kind's default (an agency registered later).
    assert default_on(FIRE, {"a-council": False})


@pytest.mark.parametrize(
    ("choice", "by_default", "basis"),
    [
        (None, True, Basis.DEFAULT),
        (None, False, None),
        (True, False, Basis.CHOSEN),
        (True, True, Basis.CHOSEN),
        (False, True, None),
        (False, False, None),
    ],
)
def test_a_members_own_choice_wins_over_the_default(
    choice: bool | None, by_default: bool, basis: Basis | None
) -> None:
    assert consent_basis(choice, by_default) == basis


def test_an_alert_reaches_only_members_who_have_its_provider_on_and_says_why() -> None:
    members = [
        Candidate("chose-off", consent=False),
        Candidate("default", None),
        Candidate("chose-on", Preferences(channels=("sms",)), consent=True),
    ]
    assert reach(Priority.NORMAL, members, provider_on_by_default=True) == Reach(
        ("default", "chose-on"),
        (("default", "email"), ("chose-on", "sms")),
        ("default", "chosen"),
    )
    off_by_default = reach(Priority.NORMAL, members, provider_on_by_default=False)
    assert (off_by_default.inbox, off_by_default.reasons) == (("chose-on",), ("chosen",))


def test_a_groups_message_ignores_consent_the_member_joined_the_group() -> None:
    reached = reach(Priority.NORMAL, [Candidate("a", consent=False), Candidate("b")])
    assert reached == Reach(("a", "b"), (("a", "email"), ("b", "email")))


def test_unknown_providers_and_another_forces_agency_are_refused_together() -> None:
    with pytest.raises(MessageRuleBroken) as broken:
        check_choices([("a-council", False), ("made-up", True), ("b-agency", False)], PROVIDERS)
    assert broken.value.problems == ["unknown provider 'made-up'", "unknown provider 'b-agency'"]
    with pytest.raises(MessageRuleBroken) as twice:
        check_choices([("a-fire", False), ("a-fire", True)], PROVIDERS)
    assert twice.value.problems == ["provider 'a-fire' is listed twice"]
    assert check_choices([("a-council", False)], PROVIDERS) == {"a-council": False}


def test_only_choices_that_differ_are_changes_and_a_first_choice_always_is() -> None:
    wanted = {"a-council": False, "a-fire": True, POLICE: True}
    changed = changed_choices({"a-fire": True, POLICE: False}, wanted, PROVIDERS)
    assert changed == [(COUNCIL, False), (PROVIDERS[POLICE], True)]
    assert changed_choices(wanted, wanted, PROVIDERS) == []


def test_the_forces_defaults_decide_every_provider_it_has() -> None:
    assert check_defaults([POLICE, "a-housing"], PROVIDERS) == {
        POLICE: True,
        NEIGHBOURHOOD_WATCH: False,
        "a-council": False,
        "a-fire": False,
        "a-housing": True,
    }
    with pytest.raises(MessageRuleBroken) as broken:
        check_defaults([POLICE, "b-agency"], PROVIDERS)
    assert broken.value.problems == ["unknown provider 'b-agency'"]


def test_the_inbox_says_why_in_words() -> None:
    council = "Camden Council ASB team"
    assert reason("chosen", council, "ward Kentish Town") == (
        "You get alerts from Camden Council ASB team for ward Kentish Town because you chose to"
    )
    assert reason("default", council, "Metropolitan Police") == (
        "You get alerts from Camden Council ASB team for Metropolitan Police because your force"
        " turns them on by default"
    )
    assert reason("", council, "ward Kentish Town") == ""
    assert member_reason("Elm Street Watch") == (
        "You get messages from Elm Street Watch because you are a member of it"
    )


def test_a_partner_is_introduced_by_their_agency() -> None:
    assert sender_role("partner", [], "", "Camden Council ASB team") == (
        "officer of Camden Council ASB team"
    )
    assert sender_role("police", [], "", "") == "police officer"
