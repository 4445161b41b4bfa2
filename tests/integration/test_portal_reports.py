"""The portal's report pages over HTTP against the real stack (identity, membership,
engagement, messaging, audit, OPA, Kafka): a resident reads the before-you-start page, sends a
report with their name and a photo, and follows it in "Your reports"; police find it in the
ward's queue and pass it to the council, who closes it; the resident's timeline says so. A
signed-in resident's anonymous report reaches engagement with no account anywhere (its row,
its events, audit's actor, every log line), and is followed by reference and secret only. Bad
input, a forged partner pass and a neighbour's look at someone's report change nothing."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.engagement_world import (
    WARD,
    EngagementWorld,
    engagement_client,
    engagement_world,
    wait_until,
)
from tests.integration.portal_people import csrf_of, portal_client, signed_in
from tests.integration.reports_world import log_lines_since, log_sizes

pytestmark = pytest.mark.integration
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def _engagement(stack: Any, query: str, *args: Any) -> list[Any]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        return list(conn.execute(query, args).fetchall())


def _counts(stack: Any) -> tuple[int, ...]:
    return tuple(
        int(_engagement(stack, f"SELECT count(*) FROM {t}")[0][0])
        for t in ("events", "reports", "report_updates")
    )


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    world = engagement_world(stack)
    wait_until(
        lambda: (
            len(
                _engagement(
                    stack,
                    "SELECT 1 FROM report_agencies WHERE agency_id = ANY(%s)",
                    list(world.agencies),
                )
            )
            == 2
        ),
        "the partner agencies in engagement",
    )
    return world


@pytest.fixture(scope="module")
def engagement(stack: Any) -> Iterator[httpx.Client]:
    with engagement_client(stack) as client:
        yield client


def fields(**changes: str) -> dict[str, str]:
    return {
        "ward": WARD,
        "category": "asb",
        "what": "Motorbikes racing round the estate after midnight",
        "where": "Behind the Elm Park flats",
        "postcode": "wc1n 3ls",
        "day": "2",
        "month": "3",
        "year": "2026",
        "time": "23:40",
        **changes,
    }


def send(
    client: httpx.Client, tenant: str, photo: bytes | None = None, **changes: str
) -> httpx.Response:
    page = f"/forces/{tenant}/report/new"
    token = csrf_of(client.get(page))
    files = {"photo": ("estate.png", photo, "image/png")} if photo is not None else None
    return client.post(page, data={"csrf_token": token, **fields(**changes)}, files=files)


def post(client: httpx.Client, page: str, action: str, **values: str) -> httpx.Response:
    token = csrf_of(client.get(page))
    return client.post(action, data={"csrf_token": token, **values})


def test_a_named_report_is_passed_on_closed_and_followed_by_its_reporter(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    tenant = world.tenant
    with signed_in(stack, world.account("plain")) as resident:
        start = resident.get(f"/forces/{tenant}/report")
        assert start.status_code == 200
        for said in ("999", "101", "0800 555 111", "Crimestoppers"):
            assert said in start.text
        assert f'href="/forces/{tenant}/report/new"' in start.text
        form = resident.get(f"/forces/{tenant}/report/new")
        assert world.panel_name not in form.text and "Elm Park" in form.text  # the ward's name
        assert 'value="named"' in form.text  # a member may send it with their name
        sent = send(resident, tenant, PNG, way="named")
        assert sent.status_code == 303, sent.text
        report_id = sent.headers["location"].split("/")[2].split("?")[0]
        shown = resident.get(sent.headers["location"])
        assert "Your report has been sent to your ward" in shown.text
        assert "Motorbikes racing round the estate" in shown.text and "WC1N 3LS" in shown.text
        mine = resident.get("/reports")
        assert f'href="/reports/{report_id}"' in mine.text and "Received" in mine.text
    [(reporter, status)] = _engagement(
        stack, "SELECT reporter, status FROM reports WHERE report_id = %s", report_id
    )
    assert (reporter, status) == (world.account("plain").account_id, "received")
    assert _engagement(stack, "SELECT photo_type FROM reports WHERE report_id = %s", report_id)[
        0
    ] == ("image/png",)

    council = next(i for i, n in world.agencies.items() if n == "Elm Council ASB team")
    with signed_in(stack, world.account("police")) as police:
        queue = police.get("/ward-reports", params={"ward": WARD})
        assert queue.status_code == 200
        assert f'href="/ward-reports/{report_id}"' in queue.text
        page = f"/ward-reports/{report_id}"
        shown = police.get(page)
        assert "Motorbikes racing round the estate" in shown.text
        assert "Pass to an agency" in shown.text and f'value="{council}"' in shown.text
        assert police.get(f"{page}/photo").content == PNG
        missing = post(police, page, f"{page}/pass", agency_id=council, pass_note="")
        assert missing.status_code == 400
        assert "Enter a note for the person who reported it" in missing.text
        assert 'class="govuk-error-summary' in missing.text
        assert _engagement(stack, "SELECT status FROM reports WHERE report_id = %s", report_id)[
            0
        ] == ("received",)
        passed = post(
            police, page, f"{page}/pass", agency_id=council, pass_note="The council's ASB team"
        )
        assert passed.status_code == 303, passed.text

    with signed_in(stack, world.account("housing")) as housing:
        # Another agency sees neither the report in its queue nor its page.
        assert report_id not in housing.get("/ward-reports").text
        assert housing.get(f"/ward-reports/{report_id}").status_code == 404

    with signed_in(stack, world.account("council")) as partner:
        queue = partner.get("/ward-reports")
        assert f'href="/ward-reports/{report_id}"' in queue.text
        page = f"/ward-reports/{report_id}"
        shown = partner.get(page)
        assert "Pass to an agency" not in shown.text and "Update the status" in shown.text
        # A forged pass meets engagement's policy (partners pass nothing) and changes nothing.
        before = _counts(stack)
        forged = post(partner, page, f"{page}/pass", agency_id=council, pass_note="Mine now")
        assert forged.status_code == 404
        assert _counts(stack) == before
        closed = post(
            partner, page, f"{page}/status", status="closed", status_note="Patrols every night"
        )
        assert closed.status_code == 303, closed.text

    with signed_in(stack, world.account("plain")) as resident:
        timeline = resident.get(f"/reports/{report_id}").text.split('id="what-happens-next"')[1]
        assert timeline.index("Passed to Elm Council ASB team") < timeline.index("Closed")
        assert "The council&#39;s ASB team" in timeline and "Patrols every night" in timeline
    with signed_in(stack, world.account("chair")) as neighbour:
        # Someone else's report is an unknown page, and not in their list.
        assert neighbour.get(f"/reports/{report_id}").status_code == 404
        assert report_id not in neighbour.get("/reports").text


def test_an_anonymous_report_from_a_signed_in_resident_carries_no_account(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    tenant, account = world.tenant, world.account("plain").account_id
    with signed_in(stack, world.account("plain")) as resident:
        csrf = csrf_of(resident.get(f"/forces/{tenant}/report/new"))
        logs = log_sizes(stack.logs_dir)
        sent = resident.post(
            f"/forces/{tenant}/report/new",
            data={"csrf_token": csrf, **fields(category="drugs", way="anonymous")},
        )
        assert sent.status_code == 200, sent.text
        assert "Your report has been sent" in sent.text and "only time the secret" in sent.text
        reference = sent.text.split('id="reference">')[1].split("<")[0]
        secret = sent.text.split('id="secret">')[1].split("<")[0]
        assert reference.startswith("SNR-") and len(secret) > 20
        # Not in the resident's own list: nothing links it to their account.
        assert "Drugs" not in resident.get("/reports").text
    [(report_id, reporter)] = _engagement(
        stack, "SELECT report_id, reporter FROM reports WHERE reference = %s", reference
    )
    assert reporter == ""
    events = _engagement(
        stack,
        "SELECT metadata::text, payload, metadata->>'actor' FROM events WHERE stream_id = %s",
        f"report:{report_id}",
    )
    [(metadata, payload, actor)] = events
    assert account not in metadata and account.encode() not in bytes(payload)
    assert actor == "anonymous"
    with psycopg.connect(stack.service_database_url("audit")) as conn:

        def actors() -> list[str]:
            rows = conn.execute(
                "SELECT actor FROM audit_entries WHERE tenant = %s"
                " AND event_type = 'engagement.ReportFiled' AND entry::text LIKE %s",
                (tenant, f"%{report_id.encode().hex()}%"),
            ).fetchall()
            conn.rollback()
            return [str(r[0]) for r in rows]

        wait_until(lambda: bool(actors()), "the anonymous report in the audit log")
        assert actors() == ["anonymous"]
    # No process (the portal and engagement included) logged the account with the filing.
    assert not [line for line in log_lines_since(logs, stack.logs_dir) if account in line]

    # Followed by reference and secret, by anyone: a visitor with no session at all.
    with portal_client(stack) as visitor:
        page = f"/forces/{tenant}/report/follow"
        wrong = post(visitor, page, page, reference=reference, secret="not-the-secret")
        assert wrong.status_code == 400 and "No report has this reference" in wrong.text
        assert "not-the-secret" not in wrong.text  # the secret is never put back
        shown = post(visitor, page, page, reference=reference.lower(), secret=secret)
        assert shown.status_code == 200, shown.text
        assert "Received" in shown.text and "Motorbikes racing" in shown.text


def test_a_visitor_reports_anonymously_and_bad_input_changes_nothing(
    stack: Any, world: EngagementWorld
) -> None:
    tenant = world.tenant
    with portal_client(stack) as visitor:
        form = visitor.get(f"/forces/{tenant}/report/new")
        assert form.status_code == 200 and 'value="named"' not in form.text
        before = _counts(stack)
        cases: list[tuple[dict[str, str], bytes | None, str, int]] = [
            ({"what": ""}, None, "Enter what happened", 400),
            ({"what": "x" * 100_000}, None, "What happened must be 4,000 characters", 400),
            ({"ward": "E99999999"}, None, "Select the ward where it happened", 400),
            ({"day": "31", "month": "2"}, None, "Enter the date as a real date", 400),
            ({"year": "2099"}, None, "The date must be today or in the past", 400),
            ({"postcode": "not a postcode"}, None, "Enter a real postcode", 400),
            ({}, ELF, "The photo must be a JPEG or PNG image", 415),
        ]
        for changes, photo, message, status in cases:
            refused = send(visitor, tenant, photo, **changes)
            assert refused.status_code == status, (changes, refused.text)
            assert message in refused.text
            assert 'class="govuk-error-summary' in refused.text
        no_csrf = visitor.post(f"/forces/{tenant}/report/new", data=fields())
        assert no_csrf.status_code == 403
        assert _counts(stack) == before
        sent = send(visitor, tenant)
        assert sent.status_code == 200 and 'id="secret"' in sent.text
        assert _counts(stack)[:2] == (before[0] + 1, before[1] + 1)
