"""A release's purpose: refused when it cannot be told to the member, and told in words."""

from __future__ import annotations

from snp_identity.domain.disclosures import (
    ASSOCIATION_EXPORT,
    MESSAGE_DELIVERY,
    REPLY_SHARED,
    STAFF_LOOKUP,
    Purpose,
    in_words,
    released_only_with_agreement,
)

DELIVERY = Purpose(
    MESSAGE_DELIVERY,
    message_id="0190c1e2-0000-7000-8000-000000000001",
    subject="Bike thefts on Elm Street",
    sender_role="chair of Elm Street Watch",
    sender_kind="member",
    force="Demo Police",
    group_id="g1",
)


def test_a_purpose_without_a_code_or_its_references_is_refused() -> None:
    assert Purpose("").problems() == [
        "purpose code must be one of association_export, message_delivery, reply_shared,"
        " staff_lookup"
    ]
    assert Purpose("gossip").problems()
    assert Purpose(MESSAGE_DELIVERY, message_id="m1").problems() == [
        "a message_delivery purpose needs subject",
        "a message_delivery purpose needs sender_role",
    ]
    assert Purpose(MESSAGE_DELIVERY, "m1", "  ", "chair").problems() == [
        "a message_delivery purpose needs subject"
    ]
    assert DELIVERY.problems() == []
    assert Purpose(STAFF_LOOKUP).problems() == []


def test_a_group_message_is_told_with_the_officer_who_sent_it() -> None:
    assert in_words(DELIVERY, "", "messaging", "Demo Police") == (
        "sent you “Bike thefts on Elm Street” for the chair of Elm Street Watch"
    )


def test_a_police_alert_is_told_with_the_force() -> None:
    alert = Purpose(
        MESSAGE_DELIVERY, "m2", "Burglary warning", "police officer", "police", "Kent Police"
    )
    assert in_words(alert, "", "messaging", "Kent Police") == (
        "sent you “Burglary warning” for a police officer of Kent Police"
    )


def test_a_police_lookup_is_told_with_the_panel_when_known() -> None:
    named = Purpose(STAFF_LOOKUP, group_name="Riverside Ward Panel")
    assert in_words(named, "", "identity", "Demo Police") == (
        "the Demo Police police team looked you up by email to name you chair of "
        "Riverside Ward Panel"
    )
    assert in_words(Purpose(STAFF_LOOKUP), "", "identity", "Demo Police") == (
        "the Demo Police police team looked you up by email"
    )


def test_a_release_from_before_purpose_codes_shows_its_note() -> None:
    assert in_words(Purpose(""), "message delivery: m9", "messaging", "Demo Police") == (
        "messaging was given your contact details (message delivery: m9)"
    )


def test_references_are_trimmed_and_summarised_for_older_readers() -> None:
    long = Purpose(MESSAGE_DELIVERY, " m1 ", "x" * 500, "chair")
    assert long.trimmed().message_id == "m1"
    assert len(long.trimmed().subject) == 200
    assert DELIVERY.summary() == "message delivery: 0190c1e2-0000-7000-8000-000000000001"
    assert Purpose(STAFF_LOOKUP, group_name="P").summary().endswith("to name the chair of P")


def test_a_shared_reply_is_told_with_the_team_and_what_was_shared() -> None:
    shared = Purpose(REPLY_SHARED, message_id="m1", team="the officers of Elm Street Watch")
    assert shared.problems() == ["a reply_shared purpose needs shared"]
    assert Purpose(REPLY_SHARED, message_id="m1", team="t", shared="address").problems()
    for what, words in [
        ("email", "your email"),
        ("phone", "your phone number"),
        ("both", "your email and phone number"),
    ]:
        told = Purpose(REPLY_SHARED, "m1", team="the officers of Elm Street Watch", shared=what)
        assert told.problems() == []
        assert in_words(told, "", "messaging", "Demo Police") == (
            f"you shared {words} with the officers of Elm Street Watch in a reply"
        )


def test_an_association_export_needs_its_export_and_the_members_agreement() -> None:
    assert Purpose(ASSOCIATION_EXPORT).problems() == [
        "a association_export purpose needs export_id"
    ]
    export = Purpose(ASSOCIATION_EXPORT, export_id="e1")
    assert export.problems() == []
    assert released_only_with_agreement(export)
    assert not released_only_with_agreement(DELIVERY)
    assert not released_only_with_agreement(Purpose(STAFF_LOOKUP))
    assert export.summary() == "association export: e1"
    assert in_words(export, "", "membership", "Demo Police") == (
        "the Neighbourhood Watch area coordinator of Demo Police exported your contact details "
        "with your watch group's coordinators, as you agreed"
    )
