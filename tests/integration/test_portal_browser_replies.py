"""In Debian's headless Chromium: a coordinator messages the group; a neighbour sends an empty
reply (the error summary), then replies sharing their email; the coordinator opens "Replies to
this message" from the delivery page, sees the neighbour's name and shared email, answers
(an empty answer first: the error summary) and marks the thread handled; the neighbour sees the
answer in the message's thread and in their inbox. axe-core finds no violation on any page
visited. Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

import uuid
from typing import Any

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


def test_a_neighbour_replies_and_the_coordinator_answers_and_marks_it_handled(
    stack: Any,
    world: GroupWorld,
    playwright: Any,  # noqa: F811 (test_portal_browser's fixture, imported above)
) -> None:
    base, group = portal_url(stack), world.group_id
    subject = f"Street meeting {uuid.uuid4().hex[:4]}"
    chair, bea = world.people["chair"], world.people["bea"]

    with chromium(playwright) as context:
        page = context.new_page()
        page.goto(f"{base}/groups/{group}/messages")
        fill_sign_in(page, chair.tenant, chair.email)
        page.get_by_label("Subject").fill(subject)
        page.get_by_label("Message", exact=True).fill("Who can help at the meeting?")
        page.get_by_role("button", name="Send the message").click()
        assert page.get_by_role("heading", name=subject).is_visible()
        message_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "reply-neighbour")
        page.goto(f"{base}/inbox/{message_id}")
        fill_sign_in(page, bea.tenant, bea.email)
        visit.check("message-with-reply-form")
        page.get_by_role("button", name="Send your reply").click()  # nothing written
        assert page.title().startswith("Error: ")
        assert "Enter your reply" in page.locator(".govuk-error-summary").inner_text()
        visit.check("reply-error")
        page.get_by_label("Your reply").fill("I can bring chairs.")
        page.get_by_label("Share my email with the team for this reply").check()
        page.get_by_role("button", name="Send your reply").click()
        assert "Your reply was sent to the team." in page.inner_text("main")
        assert "I can bring chairs." in page.locator("#reply-thread").inner_text()

    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "reply-team")
        page.goto(f"{base}/groups/{group}/messages/{message_id}")
        fill_sign_in(page, chair.tenant, chair.email)
        page.get_by_role("link", name="Replies to this message").click()
        assert page.url == f"{base}/messages/{message_id}/replies"
        visit.check("message-threads")
        page.locator("#reply-threads").get_by_role("link", name=bea.name).click()
        assert page.get_by_role("heading", name=f"Reply from {bea.name}").is_visible()
        assert bea.email in page.locator("#thread-details").inner_text()
        visit.check("thread")
        page.get_by_role("button", name="Send your answer").click()  # nothing written
        assert "Enter your answer" in page.locator(".govuk-error-summary").inner_text()
        visit.check("answer-error")
        page.get_by_label("Your answer").fill("Thank you, Bea: chairs would be perfect.")
        page.get_by_role("button", name="Send your answer").click()
        assert f"Your answer was sent to {bea.name} only." in page.inner_text("main")
        page.get_by_role("button", name="Mark as handled").click()
        assert "The thread is marked as handled." in page.inner_text("main")
        assert page.locator("#mark-handled").count() == 0
        visit.check("thread-handled")

    with chromium(playwright) as context:
        page = context.new_page()
        page.goto(f"{base}/inbox/{message_id}")
        fill_sign_in(page, bea.tenant, bea.email)
        thread = page.locator("#reply-thread").inner_text()
        assert "The team answered" in thread and "chairs would be perfect" in thread
        page.goto(f"{base}/inbox")
        assert f"Re: {subject}" in page.inner_text("main")
