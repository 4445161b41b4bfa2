"""In Debian's headless Chromium: a coordinator messages the group with a poll; a neighbour
sends the poll with nothing chosen (the error summary), answers it (then "You answered ..."
and no form) and rates the message with a comment; another answers through the API; the
coordinator's delivery page shows the poll's counts as an SVG bar chart with a table of the
same figures, and the rating with its comment but nobody's name. axe-core finds no violation
on any page visited. Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.integration.browser_pages import fill_sign_in
from tests.integration.portal_docs_world import GroupWorld, group_world
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser import (  # noqa: F401 (the fixture)
    Visit,
    chromium,
    playwright,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(stack: Any) -> GroupWorld:
    return group_world(stack, with_police=False)


def _counts(page: Any) -> dict[str, str]:
    rows = page.locator("#poll-counts tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").inner_text()
        for i in range(rows.count())
    }


def test_a_neighbour_answers_and_rates_and_the_coordinator_sees_the_chart(
    stack: Any,
    world: GroupWorld,
    playwright: Any,  # noqa: F811 (test_portal_browser's fixture, imported above)
) -> None:
    base, group = portal_url(stack), world.group_id
    subject = f"Street meeting {uuid.uuid4().hex[:4]}"

    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "poll-coordinator")
        page.goto(f"{base}/groups/{group}/messages")
        chair = world.people["chair"]
        fill_sign_in(page, chair.tenant, chair.email)
        assert page.url == f"{base}/groups/{group}/messages"
        page.get_by_label("Subject").fill(subject)
        page.get_by_label("Message", exact=True).fill("Which night suits you for the meeting?")
        page.get_by_text("Add a poll (optional)").click()
        page.get_by_label("Poll question").fill("Which night suits you?")
        page.get_by_label("Options", exact=True).fill("Monday\nTuesday\nFriday")
        visit.check("compose-with-poll")
        page.get_by_role("button", name="Send the message").click()
        assert page.get_by_role("heading", name=subject).is_visible()
        message_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        assert "0 of 3 people answered" in page.inner_text("main")
        visit.check("delivery-no-answers")

    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "poll-neighbour")
        page.goto(f"{base}/inbox/{message_id}")
        bea = world.people["bea"]
        fill_sign_in(page, bea.tenant, bea.email)
        assert page.get_by_role("heading", name=subject).is_visible()
        visit.check("message-with-poll")
        page.get_by_role("button", name="Send your answer").click()  # nothing chosen
        assert page.title().startswith("Error: ")
        assert "Choose an option" in page.locator(".govuk-error-summary").inner_text()
        visit.check("poll-error")
        page.get_by_label("Tuesday").check()
        page.get_by_role("button", name="Send your answer").click()
        assert "You answered Tuesday." in page.locator("#poll").inner_text()
        assert page.get_by_role("button", name="Send your answer").count() == 0
        page.get_by_label("Comment (optional)").fill("Very clear, thank you")
        page.get_by_role("button", name="Yes, it was useful").click()
        assert "You said this message was useful" in page.locator("#rating").inner_text()
        visit.check("answered-and-rated")

    http_port, _ = stack.ports.services["messaging"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/messaging", timeout=30) as api:
        dan = {"authorization": f"Bearer {world.tokens['dan']}"}
        answered = api.post(f"/inbox/{message_id}/poll-answer", headers=dan, json={"choices": [0]})
        assert answered.status_code == 201, answered.text
        again = api.post(f"/inbox/{message_id}/poll-answer", headers=dan, json={"choices": [1]})
        assert again.status_code == 409

    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "poll-results")
        page.goto(f"{base}/groups/{group}/messages/{message_id}")
        fill_sign_in(page, chair.tenant, chair.email)
        main = page.inner_text("main")
        assert "2 of 3 people answered" in main
        assert page.locator("svg#poll-chart").is_visible()
        charted = {
            g.get_attribute("data-choice"): g.get_attribute("data-count")
            for g in page.locator("svg#poll-chart g.snp-chart__row").all()
        }
        assert charted == {"0": "1", "1": "1", "2": "0"}
        assert _counts(page) == {"Monday": "1", "Tuesday": "1", "Friday": "0"}
        assert "1 found it useful, 0 did not." in main
        assert "Very clear, thank you" in page.locator("#rating-comments").inner_text()
        assert "Bea Neighbour" not in page.locator("#rating-comments").inner_text()
        visit.check_narrow_too("poll-results")
