"""One style for subjects (`<kind>:<id>`) whatever the source, and both forms in a search."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from snp.v1.envelope_pb2 import EventEnvelope
from snp_audit.domain import subjects
from snp_audit.domain.decisions import to_record
from snp_audit.service_layer.ingest import event_record


def envelope(service: str, stream_id: str) -> EventEnvelope:
    moment = Timestamp()
    moment.FromDatetime(datetime(2026, 11, 21, tzinfo=UTC))
    return EventEnvelope(
        event_id="e-1",
        event_type=f"{service}.Something",
        tenant="met",
        stream_id=stream_id,
        source_service=service,
        occurred_at=moment,
    )


def decision(resource: dict[str, str]) -> dict[str, object]:
    return {
        "decision_id": "d-1",
        "path": "snp/authz/decision",
        "timestamp": "2026-11-21T12:00:00Z",
        "input": {
            "subject": {"id": "p-1", "kind": "police", "tenant": "met", "mfa": True},
            "action": "documents.document.read",
            "resource": {"tenant": "met", **resource},
        },
        "result": {"allow": False, "reasons": ["staff_kind_never_documents"]},
    }


def test_a_group_is_one_subject_whether_its_events_or_a_decision_on_it_is_logged() -> None:
    from_event = event_record(envelope("membership", "g-42")).subject
    from_decision = to_record(decision({"type": "group", "id": "g-42"})).subject
    assert from_event == from_decision == "group:g-42"


def test_streams_that_name_their_kind_and_decisions_on_them_agree() -> None:
    assert event_record(envelope("identity", "account:a1")).subject == "account:a1"
    assert to_record(decision({"type": "account", "id": "a1"})).subject == "account:a1"
    assert event_record(envelope("documents", "document:d1")).subject == "document:d1"
    assert to_record(decision({"type": "document", "id": "d1"})).subject == "document:d1"
    # An id that names its kind already is kept; an empty one (a list filter) stays empty.
    assert to_record(decision({"type": "document", "id": "group:g1"})).subject == "group:g1"
    assert subjects.typed("group", "") == ""


def test_a_search_matches_both_forms_of_a_subject() -> None:
    assert subjects.forms("a1") == ("a1", None)  # any kind of a1, and a bare a1
    assert subjects.forms("account:a1") == ("a1", "account:a1")
    assert subjects.bare_id("group-key:g1") == "g1"


def test_a_decision_on_a_whole_second_is_logged() -> None:
    # OPA drops trailing zeros of the nanoseconds, and the fraction itself on a whole second.
    made = to_record(decision({"type": "group", "id": "g"}))
    assert made.occurred_at == datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
