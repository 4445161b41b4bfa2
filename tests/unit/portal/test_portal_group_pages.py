"""The documents, mailing lists, messages and inbox pages rendered through the app with the
services faked (httpx's MockTransport) and a signed-in session: what each page shows, the
upload's refusals as GOV.UK errors, the delivery chart's figures equal to its table's, and
downloads passed on with the service's headers. The real services are in
tests/integration/test_portal_documents_messages.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.domain.delivery_chart import delivery_chart
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.app import build_app
from snp_portal.entrypoints.routes_inbox import portal_path
from snp_portal.settings import PortalSettings

ME, GROUP = "acct-chair", "g1"
TOKEN = jwt.encode({"sub": ME}, "k" * 32, algorithm="HS256")
NOW = datetime.now(UTC)
SESSION = Session("s1", "csrf-1", NOW, NOW, TOKEN, "refresh", NOW, "met")

Handler = Callable[[httpx.Request], httpx.Response]


class SignedInPortal:
    def current(self, _cookie: str | None) -> Session:
        return SESSION

    def access_token(self, _session: Session) -> str:
        return TOKEN


def membership(request: httpx.Request, officer: bool) -> httpx.Response | None:
    if request.url.path == f"/membership/groups/{GROUP}":
        officers = [{"account_id": ME, "roles": ["chair"]}] if officer else []
        return httpx.Response(
            200, json={"group_id": GROUP, "name": "Elm Watch", "officers": officers}
        )
    if request.url.path == "/membership/me/groups":
        roles = ["member", "chair"] if officer else ["member"]
        mine = {"account_id": ME, "groups": [{"group_id": GROUP, "roles": roles}]}
        return httpx.Response(200, json={**mine, "join_requests": []})
    if request.url.path == f"/membership/groups/{GROUP}/members":
        members = [
            {"account_id": "a2", "display_name": "Bea Neighbour"},
            {"account_id": ME, "display_name": "Cal Chair"},
        ]
        return httpx.Response(200, json={"members": members})
    return None


@pytest.fixture
def calls() -> list[httpx.Request]:
    return []


def client(answer: Handler, calls: list[httpx.Request], officer: bool = True) -> TestClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return membership(request, officer) or answer(request)

    app = build_app(
        PortalSettings(cookie_secure=False, portal_session_keys=SecretStr(generate_config())),
        unopened_pool(),
    )
    app.state.portal = SignedInPortal()
    app.state.apis = Apis.from_urls(
        "http://i", "http://m", "http://d", "http://g", httpx.MockTransport(handler)
    )
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


DOCUMENT = {
    "id": "d1",
    "group_id": GROUP,
    "title": "Minutes",
    "file_name": "minutes.pdf",
    "audience": "members",
    "content_type": "application/pdf",
    "size_bytes": 2048,
    "stored_at": "2025-01-02T10:00:00+00:00",
}


def documents_api(request: httpx.Request) -> httpx.Response:
    if request.url.path == f"/documents/groups/{GROUP}/documents" and request.method == "GET":
        return httpx.Response(200, json={"items": [DOCUMENT], "next_cursor": None})
    raise AssertionError(f"unexpected {request.method} {request.url}")


def test_an_officer_sees_the_documents_with_the_upload_form(calls: list[httpx.Request]) -> None:
    page = client(documents_api, calls).get(f"/groups/{GROUP}/documents")
    assert page.status_code == 200
    assert (
        "<title>Documents \N{EN DASH} Elm Watch \N{EN DASH} Safer Neighbourhoods</title>"
        in page.text
    )
    assert 'href="/documents/d1"' in page.text and "Minutes" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'aria-current="page">Documents<' in page.text
    assert all(c.headers["authorization"] == f"Bearer {TOKEN}" for c in calls)


def test_a_member_sees_no_upload_form(calls: list[httpx.Request]) -> None:
    page = client(documents_api, calls, officer=False).get(f"/groups/{GROUP}/documents")
    assert page.status_code == 200 and "Minutes" in page.text
    assert "Upload a document" not in page.text and "/delete" not in page.text


def _upload(test: TestClient, file: tuple[str, bytes, str] | None, **data: str) -> httpx.Response:
    files = {"file": file} if file else {"file": ("", b"", "application/octet-stream")}
    answer: httpx.Response = test.post(
        f"/groups/{GROUP}/documents", data={"csrf_token": "csrf-1", **data}, files=files
    )
    return answer


def test_an_upload_without_its_fields_is_refused_before_documents_is_asked(
    calls: list[httpx.Request],
) -> None:
    page = _upload(client(documents_api, calls), None)
    assert page.status_code == 400
    assert "There is a problem" in page.text
    for message in ("Select a file", "Enter a title for the document", "Select who can read"):
        assert message in page.text
    assert not [c for c in calls if c.method == "POST"]


@pytest.mark.parametrize(
    ("status", "detail", "field", "message"),
    [
        (413, "The document is larger than 26214400 bytes.", "file", "must be smaller than 25 MB"),
        (422, "The document is empty.", "file", "The selected file is empty"),
        (415, "The content type is not allowed.", "file", "must be a PDF"),
    ],
)
def test_documents_refusals_become_the_file_s_error(
    calls: list[httpx.Request], status: int, detail: str, field: str, message: str
) -> None:
    def refusing(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            problem = {"type": "urn:snp:problem:upload-refused", "title": "x", "detail": detail}
            return httpx.Response(status, json=problem)
        return documents_api(request)

    page = _upload(
        client(refusing, calls),
        ("a.pdf", b"%PDF", "application/pdf"),
        title="T",
        audience="members",
    )
    assert page.status_code == status
    assert f'href="#{field}"' in page.text and message in page.text
    assert f'id="{field}-error"' in page.text


def test_an_upload_goes_to_documents_as_multipart_then_back_to_the_list(
    calls: list[httpx.Request],
) -> None:
    def storing(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json=DOCUMENT)
        return documents_api(request)

    page = _upload(
        client(storing, calls),
        ("m.pdf", b"%PDF-1.7", "application/pdf"),
        title="Minutes",
        audience="officers",
    )
    assert page.status_code == 303
    assert page.headers["location"] == f"/groups/{GROUP}/documents?done=uploaded"
    [sent] = [c for c in calls if c.method == "POST"]
    body = sent.read()
    assert b"%PDF-1.7" in body and b'name="audience"' in body and b"officers" in body
    assert sent.headers["content-type"].startswith("multipart/form-data")


def test_a_download_is_passed_on_with_its_name_and_type(calls: list[httpx.Request]) -> None:
    def content(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/documents/documents/d1/content"
        headers = {"Content-Disposition": 'attachment; filename="minutes.pdf"'}
        return httpx.Response(
            200, content=b"%PDF-1.7 bytes", headers=headers | {"Content-Type": "application/pdf"}
        )

    got = client(content, calls).get("/documents/d1")
    assert got.status_code == 200 and got.content == b"%PDF-1.7 bytes"
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == 'attachment; filename="minutes.pdf"'
    assert got.headers["cache-control"] == "no-store"


def test_a_refused_download_is_a_page_not_json(calls: list[httpx.Request]) -> None:
    def refusing(_request: httpx.Request) -> httpx.Response:
        problem = {
            "type": "urn:snp:problem:forbidden",
            "title": "Forbidden",
            "detail": "documents.document.read is not allowed.",
        }
        return httpx.Response(403, json=problem)

    got = client(refusing, calls).get("/documents/d1")
    assert got.status_code == 403 and "text/html" in got.headers["content-type"]
    assert "You cannot do this" in got.text


def test_mailing_lists_show_members_by_name(calls: list[httpx.Request]) -> None:
    def lists(request: httpx.Request) -> httpx.Response:
        item = {
            "id": "l1",
            "name": "Committee",
            "member_account_ids": ["a2"],
            "members": [{"account_id": "a2", "display_name": "Bea Neighbour"}],
        }
        return httpx.Response(200, json={"items": [item]})

    page = client(lists, calls).get(f"/groups/{GROUP}/mailing-lists")
    assert page.status_code == 200
    assert "Committee" in page.text and "<li>Bea Neighbour</li>" in page.text
    assert 'name="members" type="checkbox" value="a2"' in page.text


def test_a_new_list_posts_its_members(calls: list[httpx.Request]) -> None:
    def made(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={"id": "l1"})

    done = client(made, calls).post(
        f"/groups/{GROUP}/mailing-lists",
        data={"csrf_token": "csrf-1", "name": "Committee", "members": ["a2", ME]},
    )
    assert done.status_code == 303
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.read()) == {"name": "Committee", "member_account_ids": ["a2", ME]}


COUNTS = {
    "total": 6,
    "pending": 1,
    "held": 0,
    "queued": 0,
    "sent": 3,
    "failed": 2,
    "bounced": 0,
    "skipped": 0,
}
STATUS: dict[str, Any] = {
    "id": "m1",
    "subject": "Meeting on Tuesday",
    "body": "Line one\nLine two",
    "sender": {"name": "Cal Chair", "role": "chair of Elm Watch", "force": "Test Force"},
    "sent_at": "2025-01-02T10:00:00+00:00",
    "deliveries": COUNTS,
    "recipients_page": [
        {"account_id": "a2", "display_name": "Bea Neighbour", "channel": "email", "status": "sent"},
        {"account_id": "a3", "display_name": None, "channel": "sms", "status": "failed"},
    ],
}


def test_the_delivery_chart_and_table_show_the_same_figures(calls: list[httpx.Request]) -> None:
    page = client(lambda _r: httpx.Response(200, json=STATUS), calls).get(
        f"/groups/{GROUP}/messages/m1"
    )
    assert page.status_code == 200
    charted = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', page.text))
    table = re.search(r'id="delivery-counts".*?</table>', page.text, re.S)
    assert table is not None
    tabled = dict(
        re.findall(
            r'data-status="(\w+)">\s*<th[^>]*>[^<]*</th>\s*<td[^>]*>(\d+)</td>', table.group(0)
        )
    )
    wanted = {k: str(v) for k, v in COUNTS.items() if k != "total"}
    assert charted == tabled == wanted
    assert "<svg" in page.text and 'role="img"' in page.text
    assert "Bea Neighbour" in page.text and "Name not available" in page.text
    recipients = page.text.split('id="recipients"')[1]
    assert "govuk-tag--green" in recipients and "govuk-tag--red" in recipients
    assert "Account reference" not in recipients


def test_the_chart_s_bars_are_as_long_as_their_share() -> None:
    chart = delivery_chart({"sent": 4, "failed": 1, "pending": 0})
    widths = {b.status: b.width for b in chart.bars}
    assert widths["sent"] == 250 and widths["failed"] == round(250 / 4) and widths["pending"] == 0
    assert chart.total == 5
    statuses = ["sent", "queued", "pending", "held", "failed", "bounced", "skipped"]
    assert [b.status for b in chart.bars] == statuses
    assert all(b.width == 0 for b in delivery_chart({}).bars)


def test_a_message_to_the_group_is_sent_to_messaging_then_its_delivery_shown(
    calls: list[httpx.Request],
) -> None:
    def sending(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, json={"id": "m1", "recipients": 3})

    done = client(sending, calls).post(
        f"/groups/{GROUP}/messages", data={"csrf_token": "csrf-1", "subject": "Hi", "body": "All"}
    )
    assert done.status_code == 303 and done.headers["location"] == f"/groups/{GROUP}/messages/m1"
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.read()) == {
        "subject": "Hi",
        "body": "All",
        "audience": {"type": "group", "id": GROUP},
    }


def test_a_form_without_its_csrf_token_is_refused(calls: list[httpx.Request]) -> None:
    got = client(documents_api, calls).post(f"/groups/{GROUP}/messages", data={"subject": "x"})
    assert got.status_code == 403 and not [c for c in calls if c.method == "POST"]


def test_an_inbox_message_shows_its_sender_and_attachments(calls: list[httpx.Request]) -> None:
    message = {
        **STATUS,
        "link": "https://portal.example/documents/d1",
        "attachments": [
            {"id": "a1", "filename": "map.pdf", "content_type": "application/pdf", "size": 1000}
        ],
    }
    page = client(lambda _r: httpx.Response(200, json=message), calls).get("/inbox/m1")
    assert page.status_code == 200
    for text in (
        "Cal Chair",
        "chair of Elm Watch",
        "Test Force",
        'href="/attachments/a1"',
        'href="/documents/d1"',
    ):
        assert text in page.text
    assert calls[-1].url.path == "/messaging/inbox/m1"


def test_only_a_document_link_becomes_a_portal_path() -> None:
    assert portal_path("http://127.0.0.1:8000/documents/d-1") == "/documents/d-1"
    assert portal_path("https://evil.example/elsewhere") is None
    assert portal_path(None) is None
