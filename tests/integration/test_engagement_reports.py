"""Residents' reports against the real stack (PostgreSQL, Kafka, OPA, every service): a
resident's report, with a photo, is passed by police to a council partner who closes it, and
the resident's "what happens next" says so; only police and that partner read it, another
agency and another force get 404; an anonymous report filed by a signed-in resident leaves no
trace of the account in any table, topic or log line; bad input is a clear 4xx that records
nothing."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.documents_world import make_accounts
from tests.integration.membership_people import wait_for_account
from tests.integration.reports_world import (
    log_lines_since,
    log_sizes,
    rows_mentioning,
    token_claims,
    topic_records_mentioning,
)

pytestmark = pytest.mark.integration
WARD = "E05000139"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


def _wait(check: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never happened: {what}")


def _engagement_row(stack: Any, query: str, *args: Any) -> Any:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        return conn.execute(query, args).fetchone()


def _counts(stack: Any) -> tuple[int, ...]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        return tuple(
            int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
            for t in ("events", "reports", "report_updates", "report_keys", "report_photos")
        )


@pytest.fixture(scope="module")
def world(stack: Any) -> Iterator[dict[str, Any]]:
    """Force A: a ward panel in WARD, a resident, police, a council partner and a housing
    partner (two agencies); force B: police and a partner."""
    tenant, other = f"force-{uuid.uuid4().hex[:6]}", f"force-{uuid.uuid4().hex[:6]}"
    people = make_accounts(
        stack,
        tenant,
        [("chair", "member"), ("resident", "member"), ("police", "police"), ("council", "partner")],
    )
    people |= make_accounts(stack, tenant, [("housing", "partner")])
    people |= {
        f"b_{k}": v
        for k, v in make_accounts(
            stack, other, [("police", "police"), ("partner", "partner")]
        ).items()
    }
    with _client(stack, "membership") as membership:
        wait_for_account(stack, people["chair"].account_id)
        body = {
            "group_type": "ward_panel",
            "name": f"Holborn Ward Panel {uuid.uuid4().hex[:4]}",
            "ward_code": WARD,
            "ward_name": "Holborn",
            "first_chair": people["chair"].account_id,
        }
        made = membership.post("/groups", json=body, headers=people["police"].headers)
        assert made.status_code == 201, made.text
    agencies = {
        name: str(token_claims(people[name].token)["agency"]) for name in ("council", "housing")
    }
    _wait(
        lambda: _engagement_row(
            stack, "SELECT 1 FROM groups WHERE tenant = %s AND ward_code = %s", tenant, WARD
        ),
        "the ward panel in engagement",
    )

    def agencies_known() -> bool:
        query = "SELECT count(*) FROM report_agencies WHERE agency_id = ANY(%s)"
        return bool(_engagement_row(stack, query, list(agencies.values()))[0] == 2)

    _wait(agencies_known, "the partner agencies in engagement")
    with _client(stack, "engagement") as api:
        yield {"tenant": tenant, "other": other, "api": api, "agencies": agencies, **people}


def _report(**changes: Any) -> dict[str, Any]:
    return {
        "ward_code": WARD,
        "category": "asb",
        "what": "Motorbikes racing up and down the estate after midnight",
        "where": "Behind the Lamb's Conduit Street flats",
        "postcode": "wc1n 3ls",
        "happened_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        **changes,
    }


def test_before_you_start_says_999_101_and_crimestoppers(world: dict[str, Any]) -> None:
    advice = world["api"].get("/reports/before-you-start")
    assert advice.status_code == 200
    numbers = [n["call"] for n in advice.json()["numbers"]]
    assert numbers == ["999", "101", "0800 555 111"]
    assert "Crimestoppers" in advice.text


def test_a_residents_report_is_passed_to_a_partner_who_closes_it_and_the_resident_is_told(
    stack: Any, world: dict[str, Any]
) -> None:
    api, tenant = world["api"], world["tenant"]
    resident, police = world["resident"], world["police"]
    council, housing = world["council"], world["housing"]
    photo = base64.b64encode(PNG).decode()
    filed = api.post("/reports", json=_report(photo_base64=photo), headers=resident.headers)
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["report_id"]
    url = f"/reports/{report_id}"

    # At rest the resident's words and photo are only ciphertext, and never on Kafka.
    row = _engagement_row(
        stack, "SELECT sealed_what, sealed_postcode FROM reports WHERE report_id = %s", report_id
    )
    assert b"Motorbikes" not in bytes(row[0]) and b"WC1N" not in bytes(row[1])
    segments = _engagement_row(
        stack,
        "SELECT string_agg(ciphertext, '') FROM report_photos WHERE report_id = %s",
        report_id,
    )
    assert PNG not in bytes(segments[0])

    # Police of the force read it; no partner may until it is passed to their agency.
    listed = api.get("/reports", params={"ward": WARD}, headers=police.headers)
    assert report_id in [r["report_id"] for r in listed.json()["reports"]]
    read = api.get(url, headers=police.headers).json()
    assert (read["what"], read["postcode"], read["status"]) == (
        _report()["what"],
        "WC1N 3LS",
        "received",
    )
    assert read["photo"]["content_type"] == "image/png" and read["anonymous"] is False
    photo_back = api.get(f"{url}/photo", headers=police.headers)
    assert photo_back.content == PNG and photo_back.headers["content-type"] == "image/png"
    for who in (council, housing, world["b_police"], world["b_partner"]):
        assert api.get(url, headers=who.headers).status_code == 404
        assert api.get(f"{url}/photo", headers=who.headers).status_code == 404
    assert report_id not in api.get("/reports", headers=council.headers).text

    passed = api.post(
        f"{url}/pass",
        json={"agency_id": world["agencies"]["council"], "note": "The council's ASB team will act"},
        headers=police.headers,
    )
    assert passed.status_code == 204, passed.text
    # Now that agency reads it; the other agency, another force and the partner's own pass do not.
    assert api.get(url, headers=council.headers).json()["agency_name"]
    assert report_id in api.get("/reports", headers=council.headers).text
    assert api.get(url, headers=housing.headers).status_code == 404
    assert api.get(url, headers=world["b_partner"].headers).status_code == 404
    again = {"agency_id": world["agencies"]["housing"], "note": "x"}
    assert api.post(f"{url}/pass", json=again, headers=council.headers).status_code == 404
    assert (
        api.post(
            f"{url}/status", json={"status": "closed", "note": "x"}, headers=housing.headers
        ).status_code
        == 404
    )

    for status, note in (
        ("action_taken", "We spoke to the riders' families and fenced the path"),
        ("closed", "No more reports for a month: closing"),
    ):
        moved = api.post(
            f"{url}/status", json={"status": status, "note": note}, headers=council.headers
        )
        assert moved.status_code == 204, moved.text
    reopened = api.post(
        f"{url}/status", json={"status": "action_taken", "note": "x"}, headers=police.headers
    )
    assert reopened.status_code == 409

    # The resident follows "what happens next"; nobody else may follow it as theirs.
    told = api.get(f"{url}/next", headers=resident.headers)
    assert told.status_code == 200, told.text
    steps = [(s["status"], s["note"]) for s in told.json()["timeline"]]
    assert steps == [
        ("received", ""),
        ("passed", "The council's ASB team will act"),
        ("action_taken", "We spoke to the riders' families and fenced the path"),
        ("closed", "No more reports for a month: closing"),
    ]
    assert told.json()["timeline"][1]["agency_name"].startswith("Council ASB team")
    assert "anonymous" not in told.json() and "agency_id" not in told.json()
    for who in (world["chair"], police, world["b_police"]):
        assert api.get(f"{url}/next", headers=who.headers).status_code == 404

    # Each step told the resident: a notice in their inbox (and deliveries by their channels),
    # linking to the report; the notes themselves stay sealed in engagement.
    with _client(stack, "messaging") as messaging:

        def notices() -> list[dict[str, Any]]:
            page = messaging.get("/inbox", headers=resident.headers)
            assert page.status_code == 200, page.text
            return [m for m in page.json()["messages"] if report_id in (m.get("link") or "")]

        _wait(lambda: len(notices()) == 3, "three notices in the resident's inbox")
        assert sorted(m["subject"] for m in notices()) == sorted(
            [
                f"Your report has been passed to {told.json()['timeline'][1]['agency_name']}",
                "Action has been taken on your report",
                "Your report has been closed",
            ]
        )
        assert not any("fenced the path" in str(m) for m in notices())

    # Each step is an event in audit, the resident the actor of the filing only.
    with psycopg.connect(stack.service_database_url("audit")) as conn:

        def logged() -> list[tuple[str, str]]:
            rows = conn.execute(
                "SELECT event_type, actor FROM audit_entries WHERE tenant = %s"
                " AND service = 'engagement' AND event_type LIKE 'engagement.Report%%'"
                " ORDER BY idx",
                (tenant,),
            ).fetchall()
            conn.rollback()
            return [(str(t), str(a)) for t, a in rows]

        _wait(lambda: len(logged()) >= 4, "the report's events in the audit log")
        assert logged()[:4] == [
            ("engagement.ReportFiled", resident.account_id),
            ("engagement.ReportPassed", police.account_id),
            ("engagement.ReportStatusChanged", council.account_id),
            ("engagement.ReportStatusChanged", council.account_id),
        ]


def _settled(stack: Any, needles: list[str]) -> dict[str, int]:
    """The rows mentioning the account, once consumers (audit above all) have caught up with
    everything the account did before: two looks a few seconds apart agree."""
    before = rows_mentioning(stack, needles)
    for _ in range(20):
        time.sleep(3)
        now = rows_mentioning(stack, needles)
        if now == before:
            return now
        before = now
    raise AssertionError("the stack never settled")


def test_an_anonymous_report_leaves_no_trace_of_the_account_anywhere(
    stack: Any, world: dict[str, Any]
) -> None:
    api, tenant = world["api"], world["tenant"]
    (signed_in,) = make_accounts(stack, tenant, [("witness", "member")]).values()
    account = signed_in.account_id
    needles = [account]
    rows_before = _settled(stack, needles)
    records_before = topic_records_mentioning(stack.kafka_bootstrap, needles)
    logs = log_sizes(stack.logs_dir)

    # The signed-in resident's own client sends its token and a correlation id it reuses:
    # the anonymous route takes neither.
    headers = {**signed_in.headers, "X-Correlation-ID": f"session-{account}"[:100]}
    filed = api.post(f"/public/{tenant}/reports", json=_report(category="drugs"), headers=headers)
    assert filed.status_code == 201, filed.text
    reference, secret = filed.json()["reference"], filed.json()["secret"]
    report_id = str(
        _engagement_row(stack, "SELECT report_id FROM reports WHERE reference = %s", reference)[0]
    )

    # Police see it, anonymous; the reporter follows it with the reference and secret only.
    police = world["police"]
    assert api.get(f"/reports/{report_id}", headers=police.headers).json()["anonymous"] is True
    step = {"agency_id": world["agencies"]["council"], "note": "Passed to the council"}
    assert (
        api.post(f"/reports/{report_id}/pass", json=step, headers=police.headers).status_code == 204
    )
    follow = {"reference": reference, "secret": secret}
    followed = api.post(f"/public/{tenant}/reports/follow", json=follow, headers=headers)
    assert followed.status_code == 200, followed.text
    assert [s["status"] for s in followed.json()["timeline"]] == ["received", "passed"]
    wrong = api.post(f"/public/{tenant}/reports/follow", json={**follow, "secret": "guess"})
    assert wrong.status_code == 404
    assert api.get(f"/reports/{report_id}/next", headers=signed_in.headers).status_code == 404

    # Wait until the filing reached audit (so through the relay and Kafka), actor "anonymous".
    with psycopg.connect(stack.service_database_url("audit")) as conn:

        def actors() -> list[str]:
            rows = conn.execute(
                "SELECT actor FROM audit_entries WHERE tenant = %s"
                " AND event_type = 'engagement.ReportFiled' AND entry::text LIKE %s",
                (tenant, f"%{report_id.encode().hex()}%"),
            ).fetchall()
            conn.rollback()
            return [str(r[0]) for r in rows]

        _wait(lambda: bool(actors()), "the anonymous report in the audit log")
        assert actors() == ["anonymous"]

    # Nothing anywhere mentions the account more than before; what mentions the report
    # (its id, its reference) never mentions the account.
    assert rows_mentioning(stack, needles) == rows_before
    assert topic_records_mentioning(stack.kafka_bootstrap, needles) == records_before
    assert not [line for line in log_lines_since(logs, stack.logs_dir) if account in line]
    secret_trace = rows_mentioning(stack, [secret])
    assert not {t: n for t, n in secret_trace.items() if n}, "the secret itself is never stored"
    assert sum(rows_mentioning(stack, [report_id, reference]).values()) > 0
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        row = conn.execute(
            "SELECT reporter, secret_sha256 FROM reports WHERE report_id = %s", (report_id,)
        ).fetchone()
    assert row is not None and row[0] == "" and len(row[1]) == 64


def test_bad_input_is_a_clear_4xx_and_records_nothing(stack: Any, world: dict[str, Any]) -> None:
    api, tenant, resident = world["api"], world["tenant"], world["resident"]
    before = _counts(stack)
    exe = base64.b64encode(ELF).decode()
    answers = {
        "100 kB of text": api.post(
            "/reports", json=_report(what="x" * 100_000), headers=resident.headers
        ),
        "an executable attached": api.post(
            "/reports", json=_report(photo_base64=exe), headers=resident.headers
        ),
        "an executable, anonymously": api.post(
            f"/public/{tenant}/reports", json=_report(photo_base64=exe)
        ),
        "unknown ward": api.post(
            "/reports", json=_report(ward_code="E05999999"), headers=resident.headers
        ),
        "unknown ward, anonymously": api.post(
            f"/public/{tenant}/reports", json=_report(ward_code="E05999999")
        ),
        "unknown force": api.post(f"/public/{world['other']}/reports", json=_report()),
        "in the future": api.post(
            "/reports", json=_report(happened_at="2999-01-01T00:00:00Z"), headers=resident.headers
        ),
        "unknown category": api.post(
            "/reports", json=_report(category="littering"), headers=resident.headers
        ),
        "police filing": api.post("/reports", json=_report(), headers=world["police"].headers),
    }
    expected = {"an executable attached": 415, "an executable, anonymously": 415}
    expected["police filing"] = 403
    for what, answer in answers.items():
        assert answer.status_code == expected.get(what, 422), (what, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), what
    assert _counts(stack) == before
