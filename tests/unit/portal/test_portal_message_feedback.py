"""Polls and ratings in the portal, rendered through the app with messaging faked: the inbox
page's poll form (radios or checkboxes) until answered, then the answer and no form; the
rating form; nothing chosen is a GOV.UK error and asks messaging nothing; the sender's page
shows the poll's chart with a table of the same figures, and the ratings; the compose form's
poll goes to messaging, or its faults are shown beside its fields."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from snp_portal.domain.message_feedback import answered_text, choices_of_form, poll_of_form
from snp_portal.domain.poll_chart import poll_chart
from tests.unit.portal.test_portal_group_pages import GROUP, STATUS, client

POLL = {"question": "Which night?", "options": ["Monday", "Tuesday", "Friday"], "multiple": False}


def inbox_message(poll: dict[str, Any] | None, rating: dict[str, Any] | None = None) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={**STATUS, "poll": poll, "rating": rating})
        if request.url.path.endswith("/poll-answer"):
            return httpx.Response(201, json={"choices": json.loads(request.read())["choices"]})
        return httpx.Response(200, json=json.loads(request.read()))

    return answer


def test_an_unanswered_poll_is_a_form_and_the_rating_form_is_there() -> None:
    calls: list[httpx.Request] = []
    page = client(inbox_message({**POLL, "answer": None}), calls).get("/inbox/m1")
    assert page.status_code == 200
    assert page.text.count('type="radio"') == 3 and 'name="choices"' in page.text
    assert 'action="/inbox/m1/poll"' in page.text
    assert "Was this message useful?" in page.text
    buttons = re.findall(r'<button type="submit" value="(yes|no)" name="useful"', page.text)
    assert buttons == ["yes", "no"]
    many = client(inbox_message({**POLL, "multiple": True, "answer": None}), calls).get("/inbox/m1")
    # The poll's own checkboxes (the reply form below has its sharing ones).
    assert len(re.findall(r'name="choices"[^>]*type="checkbox"', many.text)) == 3


def test_an_answered_poll_says_what_was_answered_and_shows_no_form() -> None:
    calls: list[httpx.Request] = []
    rating = {"useful": False, "comment": "Too late", "rated_at": "2025-01-02T10:00:00+00:00"}
    page = client(inbox_message({**POLL, "answer": [1]}, rating), calls).get("/inbox/m1")
    assert "You answered Tuesday." in page.text
    assert 'action="/inbox/m1/poll"' not in page.text and 'type="radio"' not in page.text
    assert "You said this message was not useful" in page.text and "Too late" in page.text
    assert re.search(r'<textarea[^>]*name="comment"[^>]*>Too late</textarea>', page.text)


def test_nothing_chosen_is_an_error_summary_and_asks_messaging_nothing() -> None:
    calls: list[httpx.Request] = []
    page = client(inbox_message({**POLL, "answer": None}), calls).post(
        "/inbox/m1/poll", data={"csrf_token": "csrf-1"}
    )
    assert page.status_code == 400
    assert "govuk-error-summary" in page.text and 'href="#choices"' in page.text
    assert "Choose an option" in page.text
    assert not [c for c in calls if c.method == "POST"]


def test_an_answer_and_a_rating_go_to_messaging() -> None:
    calls: list[httpx.Request] = []
    portal = client(inbox_message({**POLL, "answer": None}), calls)
    done = portal.post("/inbox/m1/poll", data={"csrf_token": "csrf-1", "choices": "1"})
    assert done.status_code == 303 and done.headers["location"] == "/inbox/m1?done=poll#poll"
    [answered] = [c for c in calls if c.method == "POST"]
    assert answered.url.path == "/messaging/inbox/m1/poll-answer"
    assert json.loads(answered.read()) == {"choices": [1]}
    rated = portal.post(
        "/inbox/m1/rating", data={"csrf_token": "csrf-1", "useful": "no", "comment": "  Late "}
    )
    assert rated.status_code == 303
    [put] = [c for c in calls if c.method == "PUT"]
    assert put.url.path == "/messaging/inbox/m1/rating"
    assert json.loads(put.read()) == {"useful": False, "comment": "Late"}


FEEDBACK = {
    "id": "m1",
    "subject": "Meeting",
    "recipients": 6,
    "ratings": {
        "useful": 4,
        "not_useful": 1,
        "comments": [
            {"useful": True, "comment": "Clear, thanks", "rated_at": "2025-01-02T11:00:00+00:00"}
        ],
    },
    "poll": {
        "question": "Which night?",
        "multiple": False,
        "answered": 5,
        "options": [
            {"choice": 0, "text": "Monday", "count": 1},
            {"choice": 1, "text": "Tuesday", "count": 4},
            {"choice": 2, "text": "Friday", "count": 0},
        ],
    },
}


def test_the_sender_sees_the_poll_chart_and_table_with_the_same_figures() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/feedback"):
            return httpx.Response(200, json=FEEDBACK)
        return httpx.Response(200, json=STATUS)

    page = client(answer, calls).get(f"/groups/{GROUP}/messages/m1")
    assert page.status_code == 200
    chart = page.text.split('id="poll-chart"')[1].split("</svg>")[0]
    charted = dict(re.findall(r'data-choice="(\d+)" data-count="(\d+)"', chart))
    table = page.text.split('id="poll-counts"')[1].split("</table>")[0]
    tabled = dict(
        re.findall(r'data-choice="(\d+)">\s*<th[^>]*>[^<]*</th>\s*<td[^>]*>(\d+)</td>', table)
    )
    assert charted == tabled == {"0": "1", "1": "4", "2": "0"}
    assert "Answers by option: Monday 1, Tuesday 4, Friday 0" in chart
    assert "5 of 6 people answered" in page.text
    assert "4 found it useful, 1 did not." in page.text and "Clear, thanks" in page.text


def test_a_reader_messaging_refuses_the_results_sees_the_page_without_them() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/feedback"):
            return httpx.Response(403, json={"type": "urn:snp:problem:forbidden", "title": "No"})
        return httpx.Response(200, json=STATUS)

    page = client(answer, calls).get(f"/groups/{GROUP}/messages/m1")
    assert page.status_code == 200 and "Poll results" not in page.text
    assert "Was it useful?" not in page.text


def test_the_compose_form_sends_its_poll_or_shows_its_faults() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, json={"id": "m9", "recipients": 3})
        return httpx.Response(200, json={"messages": []})

    portal = client(answer, calls)
    form = {"csrf_token": "csrf-1", "subject": "Hi", "body": "When?"}
    done = portal.post(
        f"/groups/{GROUP}/messages",
        data={**form, "poll_question": "Which night?", "poll_options": "Mon\n\nTue\n"},
    )
    assert done.status_code == 303
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.read())["poll"] == {
        "question": "Which night?",
        "options": ["Mon", "Tue"],
        "multiple": False,
    }
    bad = portal.post(f"/groups/{GROUP}/messages", data={**form, "poll_options": "Only one"})
    assert bad.status_code == 400
    assert 'href="#poll_question"' in bad.text and 'href="#poll_options"' in bad.text
    assert len([c for c in calls if c.method == "POST"]) == 1


def test_the_form_rules() -> None:
    assert poll_of_form({}) == (None, {})
    poll, errors = poll_of_form(
        {"poll_question": "Q", "poll_options": "a\nb", "poll_multiple": "multiple"}
    )
    assert poll == {"question": "Q", "options": ["a", "b"], "multiple": True} and errors == {}
    assert choices_of_form(["0", "2"], {**POLL, "multiple": True}) == ([0, 2], "")
    assert choices_of_form(["0", "2"], POLL) == ([], "Choose one option")
    assert choices_of_form(["7", "x"], POLL) == ([], "Choose an option")
    assert answered_text({**POLL, "answer": [0, 2]}) == "You answered Monday and Friday."


def test_the_poll_chart_s_bars_are_as_long_as_their_share() -> None:
    chart = poll_chart(FEEDBACK["poll"]["options"], 5)  # type: ignore[index]
    assert [b.width for b in chart.bars] == [90, 360, 0]
    assert chart.answered == 5 and chart.height == 3 * 48 + 4
    long = poll_chart([{"choice": 0, "text": "x" * 100, "count": 1}], 1)
    assert len(long.bars[0].label) == 60 and long.bars[0].label.endswith("…")
