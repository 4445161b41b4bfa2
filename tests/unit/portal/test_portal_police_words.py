"""The police panel's pure parts: the list's filters read from the query string (only values
the form offers reach membership) and the markings' words and refusals."""

from __future__ import annotations

from snp_portal.adapters.api import Refusal
from snp_portal.domain import police_markings as marks
from snp_portal.domain.police_filters import page_query, read_filters


def test_filters_become_membership_s_query_names() -> None:
    filters = read_filters(
        {
            "q": " Oak ",
            "ward": "E05000138",
            "group_type": "ward_panel",
            "status": "open",
            "visibility": "hidden",
            "approval": "not_police",
            "needs_officer": "yes",
            "awaiting_police": "yes",
        }
    )
    assert filters.errors == {}
    assert filters.query == {
        "q": "Oak",
        "ward_q": "E05000138",
        "group_type": "ward_panel",
        "status": "open",
        "visibility": "hidden",
        "approval": "not_police",
        "needs_officer": "true",
        "awaiting_police": "true",
    }
    assert page_query(filters, "abc")["cursor"] == "abc"
    assert page_query(filters)["ward"] == "E05000138"


def test_no_filters_ask_for_every_group() -> None:
    filters = read_filters({"needs_officer": "no"})
    assert filters.query == {} and not filters.any and filters.errors == {}


def test_a_value_the_form_never_offers_is_an_error_and_nothing_is_asked() -> None:
    filters = read_filters({"group_type": "book_club", "approval": "maybe", "q": "a\x00b"})
    assert set(filters.errors) == {"group_type", "approval", "q"}
    assert filters.query == {}
    assert read_filters({"ward": "x" * 101}).errors["ward"].startswith("The ward must be")


def test_markings_in_words() -> None:
    assert marks.police_marking(["police"], "Kent Police") == "Approved by Kent Police"
    assert marks.police_marking([], "Kent Police") == "Not approved by the police"
    assert marks.coordinator_marking(["area_coordinator"]).startswith("Approved by the")
    assert (
        marks.banner("marked", "member") == "You have marked the member as approved by the police."
    )
    assert marks.banner("withdrawn", "group") == (
        "You have withdrawn the police approval of the group."
    )
    assert marks.banner("marked", "treasurer") is None and marks.banner("x", "group") is None
    assert marks.banner("founded", None) is not None


def test_membership_s_refusals_in_words() -> None:
    stale = Refusal(409, "concurrency-conflict", "Conflict")
    assert marks.refusal_words(stale).startswith("The group changed")
    again = Refusal(409, "conflict", "Conflict", "already marked by the police side")
    assert marks.refusal_words(again) == "It is already marked as approved by the police."
    assert marks.refusal_words(Refusal(403, "forbidden", "Forbidden")).startswith("Your account")
    other = Refusal(409, "conflict", "Conflict", "something else happened")
    assert marks.refusal_words(other) == "Something else happened."
