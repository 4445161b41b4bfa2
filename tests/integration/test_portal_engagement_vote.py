"""The members' vote in the portal, over HTTP against the real stack: a plain member and the
chair suggest priorities and vote through the forms; the member sees their own vote, never the
counts; the chair sees the counts, closes the vote and makes the winner a priority, which the
panel's plan in engagement then holds. Bad input, a vote after the close and a plain member's
forged close get the GOV.UK error summary and change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.engagement_world import (
    EngagementWorld,
    engagement_client,
    engagement_world,
)
from tests.integration.portal_people import csrf_of, signed_in

pytestmark = pytest.mark.integration
PERIOD = "2027-Q3"


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    return engagement_world(stack)


@pytest.fixture(scope="module")
def engagement(stack: Any) -> Iterator[httpx.Client]:
    with engagement_client(stack) as client:
        yield client


def _post(client: httpx.Client, page: str, action: str, **fields: str) -> httpx.Response:
    token = csrf_of(client.get(page))
    return client.post(action, data={"csrf_token": token, **fields})


def _ballot(engagement: httpx.Client, world: EngagementWorld) -> Any:
    answer = engagement.get(
        f"/panels/{world.panel}/periods/{PERIOD}/ballot/results",
        headers=world.person("chair").auth,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_members_suggest_and_vote_and_the_chair_makes_the_winner_a_priority(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    base = f"/groups/{world.panel}/priorities/vote"
    page = f"{base}?period={PERIOD}"
    with (
        signed_in(stack, world.account("plain")) as plain,
        signed_in(stack, world.account("chair")) as chair,
    ):
        plan_page = chair.get(f"/groups/{world.panel}/priorities?period={PERIOD}")
        assert f'href="{base}?period={PERIOD}"' in plan_page.text
        empty = plain.get(page)
        assert empty.status_code == 200
        assert "Nobody has suggested a priority for July to September 2027 yet" in empty.text

        blank = _post(plain, page, f"{base}/suggestions?period={PERIOD}", title="", category="")
        assert blank.status_code == 400
        assert (
            "govuk-error-summary" in blank.text and "Enter the priority&#39;s title" in blank.text
        )
        for who, title, category in (
            (plain, "Speeding on Mill Lane", "road_safety"),
            (chair, "Litter by the shops", "other"),
        ):
            made = _post(
                who, page, f"{base}/suggestions?period={PERIOD}", title=title, category=category
            )
            assert made.status_code == 303, made.text
        ids = {c["title"]: c["candidate_id"] for c in _ballot(engagement, world)["candidates"]}
        speeding, litter = ids["Speeding on Mill Lane"], ids["Litter by the shops"]

        nothing = _post(plain, page, page)
        assert nothing.status_code == 400 and "Select the priority you vote for" in nothing.text
        assert _post(plain, page, page, candidate=litter).status_code == 303
        assert _post(plain, page, page, candidate=speeding).status_code == 303  # moved
        assert _post(chair, page, page, candidate=speeding).status_code == 303
        counts = {c["candidate_id"]: c["votes"] for c in _ballot(engagement, world)["candidates"]}
        assert counts == {speeding: 2, litter: 0}

        seen = plain.get(page).text
        assert "You voted for <strong>Speeding on Mill Lane</strong>" in seen
        assert "Votes so far" not in seen and "Close the vote" not in seen
        forged = _post(chair, page, f"{base}/close?period={PERIOD}", csrf_token="")
        assert forged.status_code == 403  # a post without its own CSRF token is refused
        refused = _post(plain, page, f"{base}/close?period={PERIOD}")
        assert refused.status_code == 403 and "govuk-error-summary" in refused.text
        assert _ballot(engagement, world)["closed_at"] is None

        officer_view = chair.get(page).text
        assert "Votes so far" in officer_view and "2 members have voted" in officer_view
        assert _post(chair, page, f"{base}/close?period={PERIOD}").status_code == 303
        closed = plain.get(page).text
        assert "The vote closed on" in closed and 'name="candidate"' not in closed
        late = plain.post(page, data={"csrf_token": csrf_of(plain.get(page)), "candidate": litter})
        assert late.status_code == 409 and "has closed" in late.text
        assert {
            c["candidate_id"]: c["votes"] for c in _ballot(engagement, world)["candidates"]
        } == {
            speeding: 2,
            litter: 0,
        }
        adopted = _post(chair, page, f"{base}/{speeding}/adopt?period={PERIOD}")
        assert adopted.status_code == 303, adopted.text
        assert (
            "The suggestion is now one of the panel" in chair.get(adopted.headers["location"]).text
        )

    plan = engagement.get(
        f"/panels/{world.panel}/periods/{PERIOD}", headers=world.person("plain").auth
    ).json()
    assert [(p["title"], p["category"]) for p in plan["priorities"]] == [
        ("Speeding on Mill Lane", "road_safety")
    ]
