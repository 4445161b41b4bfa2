"""My preferences, my contact details and erasing my account, through the portal over plain
HTTP against the real stack: what the forms send is what messaging and identity then hold, a
bounce is told plainly and goes when the address changes, a group's last leader cannot erase
their account, and a plain member's erasure signs them out for good."""

from __future__ import annotations

import re
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.membership_people import PASSWORD, identity_client
from tests.integration.portal_account_world import (
    WARD,
    World,
    bounce_a_message_to,
    messaging_client,
    token,
    wait_for_the_ward,
    wait_until,
    world_fixture,  # noqa: F401 (the world fixture)
)
from tests.integration.portal_people import Account, csrf_of, portal_client, sign_in, signed_in

pytestmark = pytest.mark.integration


def text(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


def post_form(client: httpx.Client, path: str, data: dict[str, Any]) -> httpx.Response:
    return client.post(path, data={"csrf_token": csrf_of(client.get(path)), **data})


def test_preferences_set_in_the_portal_are_what_messaging_holds(stack: Any, world: World) -> None:
    wait_for_the_ward(stack, world)
    with (
        messaging_client(stack, token(stack, world.neighbour)) as messaging,
        signed_in(stack, world.neighbour) as portal,
    ):
        page = portal.get("/account/preferences")
        assert page.status_code == 200 and WARD[1] in page.text
        done = post_form(
            portal,
            "/account/preferences",
            {"channels": ["email"], "areas": [WARD[0]], "minimum_priority": "high"},
        )
        assert done.status_code == 303, done.text
        held = messaging.get("/preferences").json()
        assert (held["channels"], held["areas"], held["minimum_priority"]) == (
            ["email"],
            [WARD[0]],
            "high",
        )
        shown = portal.get(done.headers["location"])
        assert "have been saved" in shown.text
        assert re.search(rf'value="{WARD[0]}"\s+checked', shown.text)

        # Bad input: the error summary, messaging unchanged (the portal's check, then
        # messaging's own refusal of a ward the force does not have).
        bad = post_form(portal, "/account/preferences", {"channels": ["email"]})
        assert bad.status_code == 400 and 'href="#minimum_priority"' in bad.text
        forged = post_form(
            portal, "/account/preferences", {"areas": ["NOWHERE"], "minimum_priority": "low"}
        )
        assert forged.status_code == 422 and "Choose only wards from the list" in forged.text
        assert messaging.get("/preferences").json()["areas"] == [WARD[0]]


def test_a_bounce_is_shown_then_cleared_when_the_address_changes(stack: Any, world: World) -> None:
    bounce_a_message_to(stack, world)
    with signed_in(stack, world.neighbour) as portal:
        page = portal.get("/account/contact")
        assert page.status_code == 200
        address = re.escape(world.neighbour.email)
        told = rf"Emails to {address} bounced on \d{{1,2}} [A-Z][a-z]+ 20\d\d\."
        assert re.search(told, text(page)), text(page)
        new_email = world.neighbour.email.replace("bounce.example", "example.org")
        bad = post_form(
            portal, "/account/contact", {"name": "Nia", "email": new_email, "phone": "07700"}
        )
        assert bad.status_code == 422 and 'id="phone-error"' in bad.text  # identity's refusal
        done = post_form(
            portal,
            "/account/contact",
            {"name": "Nia Neighbour", "email": new_email, "phone": "+44 7700 900123"},
        )
        assert done.status_code == 303, done.text
        with identity_client(stack) as identity:
            me = identity.get(
                "/me", headers={"Authorization": f"Bearer {token_for(stack, world, new_email)}"}
            ).json()
        assert (me["email"], me["phone"]) == (new_email, "+447700900123")
        with messaging_client(stack, token_for(stack, world, new_email)) as messaging:
            wait_until(
                lambda: messaging.get("/preferences").json()["delivery_problems"] == [],
                "messaging to clear the mark",
            )
        assert "Delivery problem" not in portal.get("/account/contact").text
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        types = conn.execute(
            "SELECT event_type FROM events WHERE stream_id = %s ORDER BY stream_version",
            (f"recipient:{world.neighbour.account_id}",),
        ).fetchall()
    assert [t for (t,) in types][-2:] == [
        "messaging.ContactDeliveryProblemRecorded",
        "messaging.ContactDeliveryProblemCleared",
    ]


def token_for(stack: Any, world: World, email: str) -> str:
    n = world.neighbour
    return token(stack, Account(n.account_id, n.kind, n.tenant, email, n.name, None))


def test_a_groups_last_leader_cannot_erase_their_account(stack: Any, world: World) -> None:
    with signed_in(stack, world.coordinator) as portal:
        unticked = post_form(portal, "/account/erase", {})
        assert unticked.status_code == 400 and 'href="#confirm"' in unticked.text
        refused = post_form(portal, "/account/erase", {"confirm": "yes"})
        assert refused.status_code == 409
        assert f"You are the only coordinator of {world.group_name}" in text(refused)
        assert f'href="/groups/{world.group_id}/members"' in refused.text
        assert portal.get("/account").status_code == 200  # still signed in
    # The service is the control, not the page: the same request straight to identity, and
    # another member's attempt on this account, are refused too.
    with identity_client(stack) as identity:
        own = identity.delete(
            f"/accounts/{world.coordinator.account_id}",
            headers={"Authorization": f"Bearer {token(stack, world.coordinator)}"},
        )
        assert own.status_code == 409 and own.json()["type"] == "urn:snp:problem:last-leader"
        other = identity.delete(
            f"/accounts/{world.coordinator.account_id}",
            headers={"Authorization": f"Bearer {token(stack, world.plain)}"},
        )
        assert other.status_code in (403, 404)
    assert token(stack, world.coordinator)  # the account still signs in


def test_a_plain_member_erases_their_account_and_cannot_sign_in_again(
    stack: Any, world: World
) -> None:
    with signed_in(stack, world.plain) as portal:
        page = portal.get("/account/erase")
        assert "cannot be undone" in text(page) and "audit log" in text(page)
        done = post_form(portal, "/account/erase", {"confirm": "yes"})
        assert done.status_code == 303 and done.headers["location"] == "/account/erased"
        shown = portal.get("/account/erased")
        assert shown.status_code == 200 and "Your account has been erased" in shown.text
        assert portal.get("/account").headers["location"].startswith("/sign-in")
    with portal_client(stack) as fresh:
        again = sign_in(fresh, world.plain)
        assert again.status_code == 401
        assert "The force, email address or password is not right." in again.text
    with identity_client(stack) as identity:
        signed = identity.post(
            "/sessions",
            json={"tenant": world.tenant, "email": world.plain.email, "password": PASSWORD},
        )
        assert signed.status_code == 401
