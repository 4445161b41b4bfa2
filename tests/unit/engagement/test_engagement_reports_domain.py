"""Residents' reports in engagement's domain: filing (named and anonymous), passing to an
agency and moving on, decided from events (exact sequences), and the rules each step keeps;
plus the pieces of the service that need no database (the photo check, reference, secret)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.protobuf.message import Message
from pydantic import ValidationError

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain import reports
from snp_engagement.domain.events import event_type, parse_event
from snp_engagement.domain.rules import InvalidInput, RuleBroken
from snp_engagement.entrypoints.reports_schemas import ReportIn
from snp_engagement.service_layer import reports_filing
from snp_engagement.service_layer.context import EngagementContext
from snp_engagement.service_layer.reports_retention import retention_stream

NOW = datetime(2027, 2, 14, 22, 0, tzinfo=UTC)
SEALED = reports.Sealed(b"what", b"where", b"postcode")
RESIDENT = "resident-1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
WINDOWS_EXE = b"MZ\x90\x00\x03" + b"\x00" * 64


def _filing(reporter: str | None = RESIDENT, **changes: Any) -> reports.Filing:
    fields: dict[str, Any] = {
        "report_id": "r1",
        "ward_code": "E05000138",
        "category": "asb",
        "happened_at": NOW - timedelta(hours=1),
        "reporter": reporter,
    }
    if reporter is None:
        fields |= {"reference": "SNR-AAAA-BBBB-CCCC", "secret_sha256": "ab" * 32}
    return reports.Filing(**(fields | changes))


def _filed(reporter: str | None = RESIDENT) -> tuple[reports.Report, list[Message]]:
    history: list[Message] = list(reports.file(_filing(reporter), SEALED, NOW))
    report = reports.fold(history)
    assert report is not None
    return report, history


def _then(history: list[Message], events: list[Message]) -> tuple[reports.Report, list[Message]]:
    history = history + events
    report = reports.fold(history)
    assert report is not None
    return report, history


def test_a_named_report_is_received_and_names_its_reporter_only() -> None:
    (filed,) = reports.file(_filing(), SEALED, NOW)
    assert isinstance(filed, pb.ReportFiled)
    assert (filed.report_id, filed.ward_code, filed.category) == ("r1", "E05000138", "asb")
    assert (filed.reporter, filed.anonymous, filed.reference, filed.secret_sha256) == (
        RESIDENT,
        False,
        "",
        "",
    )
    assert (filed.sealed_what, filed.sealed_where, filed.sealed_postcode) == (
        b"what",
        b"where",
        b"postcode",
    )
    assert not filed.HasField("photo")
    report = reports.fold([filed])
    assert report == reports.Report("r1", "E05000138", RESIDENT, "received", "")


def test_an_anonymous_report_names_no_account_and_carries_only_the_secret_hash() -> None:
    (filed,) = reports.file(_filing(None), SEALED, NOW)
    assert isinstance(filed, pb.ReportFiled)
    assert filed.reporter == "" and filed.anonymous
    assert (filed.reference, filed.secret_sha256) == ("SNR-AAAA-BBBB-CCCC", "ab" * 32)
    # What goes on the wire parses back the same, with no account anywhere in it.
    wire = parse_event(event_type(filed), filed.SerializeToString())
    assert wire == filed and RESIDENT.encode() not in filed.SerializeToString()


def test_a_report_is_anonymous_exactly_when_it_has_a_reference_and_secret() -> None:
    with pytest.raises(InvalidInput):
        reports.file(_filing(RESIDENT, reference="SNR-X", secret_sha256="ab"), SEALED, NOW)
    with pytest.raises(InvalidInput):
        reports.file(_filing(None, reference=""), SEALED, NOW)


def test_filing_refuses_unknown_categories_naive_times_and_the_future() -> None:
    with pytest.raises(InvalidInput, match="category"):
        reports.file(_filing(category="littering"), SEALED, NOW)
    with pytest.raises(InvalidInput, match="time zone"):
        reports.file(_filing(happened_at=datetime(2027, 2, 14, 21, 0)), SEALED, NOW)
    with pytest.raises(InvalidInput, match="already happened"):
        reports.file(_filing(happened_at=NOW + timedelta(days=1)), SEALED, NOW)


def test_passed_then_action_taken_then_closed_each_with_its_note() -> None:
    report, history = _filed()
    passed = reports.pass_to(report, "council-asb", "Camden ASB team", b"n1", "police-1")
    assert [type(e).__name__ for e in passed] == ["ReportPassed"]
    assert passed[0] == pb.ReportPassed(
        report_id="r1",
        agency_id="council-asb",
        agency_name="Camden ASB team",
        sealed_note=b"n1",
        passed_by="police-1",
        reporter=RESIDENT,
    )
    report, history = _then(history, passed)
    assert (report.status, report.agency_id) == ("passed", "council-asb")
    taken = reports.change_status(report, "action_taken", b"n2", "partner-1", "council-asb")
    assert taken == [
        pb.ReportStatusChanged(
            report_id="r1",
            status="action_taken",
            sealed_note=b"n2",
            changed_by="partner-1",
            agency="council-asb",
            reporter=RESIDENT,
        )
    ]
    report, history = _then(history, taken)
    closed = reports.change_status(report, "closed", b"n3", "partner-1", "council-asb")
    report, history = _then(history, closed)
    assert report.status == "closed" and len(history) == 4


def test_an_anonymous_reports_updates_name_no_reporter_to_tell() -> None:
    report, _ = _filed(None)
    (passed,) = reports.pass_to(report, "council-asb", "Camden ASB team", b"n", "police-1")
    assert isinstance(passed, pb.ReportPassed) and passed.reporter == ""


def test_police_may_close_a_report_they_did_not_pass_on() -> None:
    report, _ = _filed()
    (closed,) = reports.change_status(report, "closed", b"n", "police-1", "police")
    assert isinstance(closed, pb.ReportStatusChanged) and closed.status == "closed"


def test_a_closed_report_stays_closed_and_nothing_goes_back() -> None:
    report, history = _filed()
    report, history = _then(
        history, reports.change_status(report, "action_taken", b"n", "police-1", "police")
    )
    with pytest.raises(RuleBroken):
        reports.pass_to(report, "council-asb", "Camden ASB team", b"n", "police-1")
    report, history = _then(
        history, reports.change_status(report, "closed", b"n", "police-1", "police")
    )
    for status in ("action_taken", "closed"):
        with pytest.raises(RuleBroken):
            reports.change_status(report, status, b"n", "police-1", "police")


def test_passing_to_the_same_agency_again_records_nothing_and_never_to_the_force() -> None:
    report, history = _filed()
    report, history = _then(
        history, reports.pass_to(report, "council-asb", "Camden ASB team", b"n", "police-1")
    )
    assert reports.pass_to(report, "council-asb", "Camden ASB team", b"n", "police-1") == []
    (again,) = reports.pass_to(report, "housing", "Housing ASB team", b"n", "police-1")
    assert isinstance(again, pb.ReportPassed) and again.agency_id == "housing"
    for agency in ("", "police"):
        with pytest.raises(InvalidInput):
            reports.pass_to(report, agency, "x", b"n", "police-1")


def test_a_status_change_is_action_taken_or_closed_only() -> None:
    report, _ = _filed()
    for status in ("received", "passed", "done"):
        with pytest.raises(InvalidInput):
            reports.change_status(report, status, b"n", "police-1", "police")


def _ctx(max_bytes: int = 5 * 1024 * 1024) -> EngagementContext:
    # Only the photo limit is read: no pool, no policy.
    return EngagementContext(pool=None, opa=None, report_photo_max_bytes=max_bytes)  # type: ignore[arg-type]


def test_a_photo_is_a_jpeg_or_png_by_its_bytes_whatever_it_is_called() -> None:
    png = reports_filing._photo_facts(_ctx(), PNG)
    assert png is not None and png.content_type == "image/png" and png.size == len(PNG)
    jpeg = reports_filing._photo_facts(_ctx(), JPEG)
    assert jpeg is not None and jpeg.content_type == "image/jpeg"
    for refused in (ELF, WINDOWS_EXE, b"%PDF-1.7\n", b"just text", b""):
        with pytest.raises(reports_filing.PhotoRefused):
            reports_filing._photo_facts(_ctx(), refused)
    with pytest.raises(reports_filing.PhotoTooLarge):
        reports_filing._photo_facts(_ctx(max_bytes=16), PNG)
    assert reports_filing._photo_facts(_ctx(), None) is None


def test_references_are_unambiguous_and_secrets_are_kept_only_as_a_hash() -> None:
    made = {reports_filing.new_reference() for _ in range(200)}
    assert len(made) == 200
    for reference in made:
        assert len(reference) == 18 and reference.startswith("SNR-")
        assert not set(reference[4:].replace("-", "")) & set("ILOU")
    digest = reports_filing.secret_hash("s3cret")
    assert len(digest) == 64 and "s3cret" not in digest
    assert digest == reports_filing.secret_hash("s3cret") != reports_filing.secret_hash("s3cre")


def test_the_body_refuses_a_flood_of_text_and_normalises_the_postcode() -> None:
    body = {
        "ward_code": "E05000138",
        "category": "drugs",
        "what": "Dealing by the north entrance",
        "where": "Gower Street",
        "postcode": "wc1e7hx",
        "happened_at": "2027-02-14T21:30:00Z",
    }
    form = ReportIn.model_validate(body).form()
    assert form.postcode == "WC1E 7HX" and form.photo is None
    for bad in (
        {"what": "x" * 100_000},
        {"postcode": "not a postcode"},
        {"happened_at": "2027-02-14T21:30:00"},
        {"photo_base64": "not base64!"},
        {"category": "littering"},
        {"reporter": "someone"},
    ):
        with pytest.raises(ValidationError):
            ReportIn.model_validate(body | bad)


def test_a_day_without_a_time_is_recorded_as_such_not_as_a_known_midday() -> None:
    (known,) = reports.file(_filing(), SEALED, NOW)
    (day_only,) = reports.file(_filing(time_known=False), SEALED, NOW)
    assert isinstance(known, pb.ReportFiled) and isinstance(day_only, pb.ReportFiled)
    assert (known.time_unknown, day_only.time_unknown) == (False, True)
    body = {
        "ward_code": "E05000138",
        "category": "asb",
        "what": "w",
        "where": "x",
        "happened_at": "2027-02-14T12:00:00+00:00",
    }
    assert ReportIn.model_validate(body).form().time_known is True
    assert ReportIn.model_validate({**body, "time_known": False}).form().time_known is False


def test_a_forces_retention_stream_is_named_for_the_force() -> None:
    # Stream ids are unique across tenants: a second force's retention must not share one.
    assert retention_stream("force-a").stream_id != retention_stream("force-b").stream_id
