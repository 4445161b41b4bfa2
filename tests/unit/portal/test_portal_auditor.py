"""The auditor's console without infrastructure: entries said in words, the search form's
checks, and the log's growth chart."""

from __future__ import annotations

from snp_portal.domain.audit_wording import entry_in_words, reason_in_words, subject_in_words
from snp_portal.domain.log_growth_chart import growth_chart
from snp_portal.entrypoints.routes_audit_log import FIELDS, search_params

REFUSED_READ = {
    "source": "decision",
    "type": "documents.document.read",
    "actor": "p-1",
    "subject": "group:g-9",
    "attrs": {
        "allow": False,
        "reasons": ["action_not_allowed_for_kind", "staff_kind_never_documents"],
        "subject_kind": "police",
        "resource_group_id": "g-9",
    },
}


def test_a_refused_decision_says_who_was_refused_what_on_what_and_why() -> None:
    assert entry_in_words(REFUSED_READ) == (
        "Police officer p-1 was refused `documents.document.read` on group g-9 because staff"
        " accounts never read or handle group documents and no account of that kind may do"
        " this."
    )


def test_an_allowed_decision_names_the_rule_and_a_document_its_group() -> None:
    allowed = REFUSED_READ | {
        "actor": "m-1",
        "subject": "document:d-1",
        "attrs": {
            "allow": True,
            "reasons": ["grant:member_reads_members_document"],
            "subject_kind": "member",
            "resource_group_id": "g-9",
        },
    }
    assert entry_in_words(allowed) == (
        "Member m-1 was allowed `documents.document.read` on document d-1 of group g-9 under"
        " the rule “member reads members document”."
    )


def test_reasons_and_subjects_read_as_words() -> None:
    assert reason_in_words("mfa_required") == "they had not signed in with their second factor"
    assert reason_in_words("group_type_not_allowed") == "the kind of group does not allow it"
    assert reason_in_words("something_new") == "something new"
    assert subject_in_words("account:a1") == "account a1"
    assert subject_in_words("g1") == "g1"  # an older entry's bare id
    many = REFUSED_READ | {"attrs": {"subject_kind": "auditor", "reasons": ["a", "b", "c"]}}
    assert entry_in_words(many).endswith("because a, b and c.")


def test_an_event_says_who_did_what_on_what() -> None:
    event = {
        "source": "event",
        "type": "identity.AccountRegistered",
        "actor": "",
        "subject": "account:a1",
    }
    assert entry_in_words(event) == "The platform: AccountRegistered on account a1."


def blank(**values: str) -> dict[str, str]:
    return {name: "" for name in FIELDS} | values


def test_the_search_form_becomes_the_audit_query() -> None:
    params, errors = search_params(
        blank(actor="p-1", answer="refused", source="decision", service="documents",
              **{"from": "2026-11-21", "to": "2026-11-21 14:30"})
    )  # fmt: skip
    assert errors == {}
    assert params == {
        "actor": "p-1",
        "allowed": "false",
        "source": "decision",
        "service": "documents",
        "since": "2026-11-21T00:00:00+00:00",
        "until": "2026-11-21T14:30:00+00:00",
    }
    assert search_params(blank(service="nonsense", source="x"))[0] == {}


def test_the_search_form_says_what_is_wrong() -> None:
    _params, errors = search_params(blank(actor="x" * 201, **{"from": "yesterday"}))
    assert set(errors) == {"actor", "from"}
    _params, errors = search_params(blank(**{"from": "2026-11-21 10:00", "to": "2026-11-21"}))
    assert errors == {"to": "The end must be after the start"}


def test_the_growth_chart_spreads_checkpoints_by_time_and_size() -> None:
    chart = growth_chart(
        [
            {"tree_size": 30, "signed_at": "2026-11-21T12:02:00.000000Z"},
            {"tree_size": 10, "signed_at": "2026-11-21T12:00:00.000000Z"},
            {"tree_size": 20, "signed_at": "2026-11-21T12:01:00.000000Z"},
        ]
    )
    sizes = [p.tree_size for p in chart.points]
    assert sizes == [10, 20, 30] and [p.added for p in chart.points] == [0, 10, 10]
    xs, ys = [p.x for p in chart.points], [p.y for p in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.right
    assert ys == sorted(ys, reverse=True) and ys[-1] == chart.top  # the largest at the top
    assert growth_chart([]).points == ()
    (single,) = growth_chart([{"tree_size": 5, "signed_at": "2026-11-21T12:00:00Z"}]).points
    assert chart.left < single.x < chart.right
