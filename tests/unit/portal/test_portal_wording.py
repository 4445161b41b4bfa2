"""How the portal words what the services answer: approval markings, kinds of group, identity's
registration problems and membership's founding problems as GOV.UK messages, query strings."""

from __future__ import annotations

from snp_portal.adapters.forces import is_force_slug
from snp_portal.domain.form_problems import NEUTRAL_EMAIL, founding_errors, registration_errors
from snp_portal.domain.groups import group_type_label, markings
from snp_portal.domain.refusals import error_message, errors_by_opening, sentence
from snp_portal.entrypoints.web import with_query


def test_approval_markings_name_the_force_and_the_area_coordinator() -> None:
    force = "Test Constabulary"
    assert markings([], force) == []
    assert markings(["area_coordinator", "police"], force) == [
        "Approved by Test Constabulary",
        "Approved by the Neighbourhood Watch area coordinator",
    ]
    assert markings(["area_coordinator"], force) == [
        "Approved by the Neighbourhood Watch area coordinator"
    ]


def test_kinds_of_group_are_said_in_words() -> None:
    assert group_type_label("neighbourhood_watch") == "Neighbourhood Watch group"
    assert group_type_label("community_group") == "Community group"
    assert group_type_label("ward_panel") == "Ward panel"
    assert group_type_label("street_party") == "Street party"


def test_only_identitys_slugs_are_force_slugs() -> None:
    assert is_force_slug("met") and is_force_slug("city-of-london")
    for not_a_slug in ("", "Met", "../sessions", "met/", "a", "met-", "x" * 51):
        assert not is_force_slug(not_a_slug)


def test_identitys_registration_problems_become_one_message_per_field() -> None:
    problems = [
        ("", "email must be a valid email address"),
        ("", "password must be at least 12 characters"),
        ("", "password is too common"),
        ("", "password must not contain your name or email address"),
    ]
    assert registration_errors(problems) == {
        "email": "Enter an email address in the correct format, like name@example.com",
        "password": "Your password must be at least 12 characters",
    }
    assert registration_errors([("", "password must not contain your name or email address")]) == {
        "password": "Your password must not contain your name or email address"
    }


def test_a_taken_email_is_said_in_neutral_words() -> None:
    errors = registration_errors([("", "this email address cannot be used to register")])
    assert errors == {"email": NEUTRAL_EMAIL}
    assert "already registered" not in NEUTRAL_EMAIL and "exists" not in NEUTRAL_EMAIL


def test_unrecognised_registration_problems_land_on_their_field() -> None:
    assert registration_errors([("display_name", "String should have at most 100 characters")]) == {
        "name": "Check your name"
    }
    assert registration_errors([("", "password something new")]) == {
        "password": "Check your password"
    }
    assert registration_errors([("", "unheard of")]) == {"email": "Check your email address"}


def test_founding_problems_become_the_forms_errors() -> None:
    problems = [
        ("", "name must be 1-120 characters"),
        ("", "ward_code must be 1-32 letters, digits, '-' or '_'"),
        ("body.visibility", "String should have at most 16 characters"),
    ]
    errors = founding_errors(problems, "fallback")
    assert set(errors) == {"name", "ward_code", "visibility"}
    assert errors["ward_code"].startswith("Enter the ward's code")
    assert founding_errors([("", "something else")], "Fallback.") == {"group_type": "Fallback."}


def test_service_messages_become_sentences() -> None:
    assert sentence("a request to join is already waiting") == (
        "A request to join is already waiting."
    )
    assert sentence("Already a member.") == "Already a member."
    assert sentence("") == ""


def test_service_messages_become_error_messages_without_a_full_stop() -> None:
    assert error_message(" a list of that name already exists. ") == (
        "A list of that name already exists"
    )
    assert error_message("") == ""


def test_query_parameters_are_added_to_a_path() -> None:
    assert with_query("/forces/met", registered="1") == "/forces/met?registered=1"
    assert with_query("/forces/met/groups?q=oak", cursor="abc") == (
        "/forces/met/groups?q=oak&cursor=abc"
    )
    assert with_query("/sign-in", next="/forces/met/groups/1") == (
        "/sign-in?next=%2Fforces%2Fmet%2Fgroups%2F1"
    )


def test_service_messages_are_placed_on_fields_by_their_opening_words() -> None:
    openings = [("unknown ward", "areas", "Choose only wards"), ("at most", "areas", "Fewer")]
    messages = ["at most 20 wards", "unknown ward X", "something else"]
    assert errors_by_opening(messages, openings) == {"areas": "Fewer"}  # the first one wins
    assert errors_by_opening(["something else"], openings) == {}
