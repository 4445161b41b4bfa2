"""Replies in the portal, rendered through the app with messaging faked: the inbox page's reply
form (sharing checkboxes, "Reply anonymously" only where the message takes it) and the member's
thread; an empty reply is the error summary and asks messaging nothing; a reply goes to
messaging with what the member shares; an anonymous reply's reference is shown on the page and
never put in an address; the team's thread page shows the name, the shared email, the answer
form and "Mark as handled"."""

from __future__ import annotations

import json
from typing import Any

import httpx

from snp_portal.domain.replies import reply_body, share_of
from tests.unit.portal.test_portal_group_pages import STATUS, client

THREAD = {
    "id": "t1",
    "message": {"id": "m1", "subject": "Meeting on Tuesday"},
    "member": {
        "display_name": "Bea Neighbour",
        "contact": {"email": "bea@x.example", "phone": None},
    },
    "anonymous": False,
    "status": "open",
    "team": "the officers of Elm Watch",
    "entries": [
        {
            "id": "r1",
            "from_team": False,
            "by": None,
            "text": "Count me in",
            "written_at": "2025-01-02T10:00:00+00:00",
        },
    ],
    "updated_at": "2025-01-02T10:00:00+00:00",
}


def messaging(anonymous_replies: bool = False, reference: str | None = None) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "GET" and path.startswith("/messaging/reply-threads/"):
            return httpx.Response(200, json=THREAD)
        if request.method == "GET" and path.endswith("/reply-threads"):
            return httpx.Response(200, json={"threads": [THREAD]})
        if request.method == "GET":
            thread = {
                "id": "t1",
                "status": "open",
                "entries": [
                    {
                        "id": "r9",
                        "from_team": True,
                        "text": "Thanks, see you there",
                        "share_contact": None,
                        "written_at": "2025-01-02T11:00:00+00:00",
                    }
                ],
            }
            return httpx.Response(
                200,
                json={
                    **STATUS,
                    "poll": None,
                    "rating": None,
                    "thread": thread,
                    "anonymous_replies": anonymous_replies,
                },
            )
        if path.endswith("/replies"):
            return httpx.Response(
                201, json={"thread_id": "t1", "reply_id": "r2", "reference": reference}
            )
        return httpx.Response(201, json={"id": "r3", "message_id": "m9"})

    return answer


def test_the_inbox_page_has_the_reply_form_and_the_members_thread() -> None:
    page = client(messaging(), []).get("/inbox/m1")
    assert page.status_code == 200
    assert 'action="/inbox/m1/reply"' in page.text and 'name="text"' in page.text
    assert 'name="share_email"' in page.text and 'name="share_phone"' in page.text
    assert 'name="anonymous"' not in page.text
    assert "Thanks, see you there" in page.text and "The team answered" in page.text
    assert 'name="anonymous"' in client(messaging(anonymous_replies=True), []).get("/inbox/m1").text


def test_an_empty_reply_is_an_error_summary_and_asks_messaging_nothing() -> None:
    calls: list[httpx.Request] = []
    page = client(messaging(), calls).post(
        "/inbox/m1/reply", data={"csrf_token": "csrf-1", "text": " "}
    )
    assert page.status_code == 400
    assert "govuk-error-summary" in page.text and 'href="#reply-text"' in page.text
    assert "Enter your reply" in page.text
    assert not [c for c in calls if c.method == "POST"]


def test_a_reply_goes_to_messaging_with_what_is_shared() -> None:
    calls: list[httpx.Request] = []
    done = client(messaging(), calls).post(
        "/inbox/m1/reply",
        data={"csrf_token": "csrf-1", "text": " See you ", "share_email": "yes"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/inbox/m1?done=reply#reply"
    [posted] = [c for c in calls if c.method == "POST"]
    assert posted.url.path == "/messaging/inbox/m1/replies"
    assert json.loads(posted.read()) == {
        "text": "See you",
        "share_contact": "email",
        "anonymous": False,
    }


def test_an_anonymous_reply_shows_its_reference_on_the_page_never_in_an_address() -> None:
    calls: list[httpx.Request] = []
    page = client(messaging(True, "R-7KQ2M9XD"), calls).post(
        "/inbox/m1/reply", data={"csrf_token": "csrf-1", "text": "It was him", "anonymous": "yes"}
    )
    assert page.status_code == 200 and "location" not in page.headers
    assert 'id="reply-reference">R-7KQ2M9XD<' in page.text
    [posted] = [c for c in calls if c.method == "POST"]
    assert json.loads(posted.read())["anonymous"] is True


def test_the_team_sees_the_thread_with_the_shared_email_and_answers_it() -> None:
    calls: list[httpx.Request] = []
    portal = client(messaging(), calls)
    page = portal.get("/replies/t1")
    assert page.status_code == 200
    assert "Reply from Bea Neighbour" in page.text and "bea@x.example" in page.text
    assert 'action="/replies/t1/answer"' in page.text and 'id="mark-handled"' in page.text
    listed = portal.get("/messages/m1/replies")
    assert 'href="/replies/t1"' in listed.text and "Bea Neighbour" in listed.text
    empty = portal.post("/replies/t1/answer", data={"csrf_token": "csrf-1", "text": ""})
    assert empty.status_code == 400 and 'href="#answer-text"' in empty.text
    assert not [c for c in calls if c.method == "POST"]
    sent = portal.post("/replies/t1/answer", data={"csrf_token": "csrf-1", "text": "Thanks"})
    assert sent.status_code == 303 and sent.headers["location"] == "/replies/t1?done=answer"
    handled = portal.post("/replies/t1/handled", data={"csrf_token": "csrf-1"})
    assert handled.headers["location"] == "/replies/t1?done=handled"
    assert [c.url.path for c in calls if c.method == "POST"] == [
        "/messaging/reply-threads/t1/answers",
        "/messaging/reply-threads/t1/handled",
    ]


def test_the_form_rules() -> None:
    assert share_of(True, True) == "both" and share_of(False, True) == "phone"
    assert share_of(False, False) == "none"
    assert reply_body({"text": "x" * 5001})[1] == "Your reply must be 5,000 characters or fewer"
    assert reply_body({"text": "hi", "anonymous": "yes", "share_phone": "yes"})[1].startswith(
        "An anonymous reply cannot share"
    )


def test_a_police_alert_draft_asks_for_anonymous_replies_only_when_ticked() -> None:
    from snp_portal.domain.alert_drafts import read_form

    form = {
        "audience": "tenant",
        "type": "appeal",
        "priority": "normal",
        "subject": "Witnesses",
        "body": "Did you see it?",
    }
    assert "anonymous_replies" not in read_form(form).message()
    ticked = read_form({**form, "anonymous_replies": "yes"})
    assert ticked.errors == {} and ticked.message()["anonymous_replies"] is True
