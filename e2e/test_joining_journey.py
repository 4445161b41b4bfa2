"""The whole platform as two people use it at once, each in their own Debian Chromium: a
coordinator founds a group while a neighbour registers and sets up an authenticator from the
QR page's key; the neighbour asks to join, the coordinator admits them, uploads a document for
the members and messages the group; the neighbour finds the message in the mail sink and in the
inbox, follows the mail's link through sign-in to the document, and leaves the group. axe-core
finds no violation on any page (the neighbour's also at 320 px), no page breaks its CSP, and the
services agree with what the pages said. Screenshots: .artifacts/screenshots/e2e/."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from e2e.coordinator_part import coordinator_part
from e2e.journey import SHOTS, Journey, a_neighbour, newsletter
from e2e.neighbour_part import neighbour_part
from e2e.people_at_once import at_once
from snp_stack.stack import repo_root
from tests.integration.membership_people import (
    identity_client,
    identity_context,
    stream_event_types,
    wait_for_tenant,
)
from tests.integration.portal_account_world import wait_until
from tests.integration.portal_docs_world import api_token
from tests.integration.portal_people import make_account, new_force, portal_url

pytestmark = pytest.mark.integration


@pytest.fixture
def journey(stack: Any, tmp_path: Path) -> Journey:
    with identity_context(stack) as ctx:
        tenant = new_force(ctx)
        coordinator = make_account(ctx, tenant, "member", "Cora Coordinator")
    with identity_client(stack) as identity:
        token = api_token(identity, coordinator)
    wait_for_tenant(stack, tenant)
    return Journey(
        stack=stack,
        base=portal_url(stack),
        tenant=tenant,
        force_name="Test Constabulary",  # portal_people.new_force's display name
        coordinator=coordinator,
        coordinator_token=token,
        group_name=f"Mill Lane {uuid.uuid4().hex[:4]} Watch",
        neighbour=a_neighbour(),
        document=newsletter(tmp_path),
    )


def test_a_neighbour_joins_reads_downloads_and_leaves_while_the_coordinator_runs_the_group(
    journey: Journey,
) -> None:
    at_once(
        journey.handoff,
        coordinator=lambda: coordinator_part(journey),
        neighbour=lambda: neighbour_part(journey),
    )
    group_id = journey.handoff.wait_for("group founded")
    neighbour_id = journey.handoff.wait_for("admitted")
    _subject, _link, message_id = journey.handoff.wait_for("messaged")

    # Membership recorded the request, the admission and the leaving, in that order.
    kinds = [t.removeprefix("membership.") for t in stream_event_types(journey.stack, group_id)]
    joined = [k for k in kinds if k in ("JoinRequested", "MemberAdmitted", "MemberLeft")]
    assert joined == ["MemberAdmitted", "JoinRequested", "MemberAdmitted", "MemberLeft"], kinds
    with journey.membership() as membership:
        listed = membership.get(f"/groups/{group_id}/members").json()["members"]
    assert [m["account_id"] for m in listed] == [journey.coordinator.account_id]

    # Messaging delivered the message to the neighbour (by email, to the mail sink).
    def neighbours_delivery() -> dict[str, Any] | None:
        with journey.messaging() as messaging:
            status = messaging.get(f"/messages/{message_id}").json()
        mine = [r for r in status["recipients_page"] if r["account_id"] == neighbour_id]
        return mine[0] if mine and mine[0]["status"] == "sent" else None

    delivery = wait_until(neighbours_delivery, what="messaging to record the delivery")
    assert delivery["display_name"] == journey.neighbour.name


def test_the_journey_s_screenshots_are_git_ignored() -> None:
    ignored = (repo_root() / ".gitignore").read_text().splitlines()
    assert ".artifacts/" in ignored
    assert SHOTS.is_relative_to(repo_root() / ".artifacts")
