"""The proof with membership's own service: a member founds a community group through
membership's API (becoming its chair), admits neighbours who asked to join, and messages the
group; messaging learns the group from membership's real events, and every member's mailbox on
the SMTP server receives the message once. A member of another group gets 403."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.messaging_helpers import (
    add_members,
    bearer,
    body_text,
    envelope_recipients,
    mails_to,
    member_token,
    new_force,
    wait_until,
)
from tests.integration.refusals import refusal_reasons
from tests.integration.test_messaging_api import identity, messaging, wait_for_final, wait_for_roles

__all__ = ["identity", "messaging"]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def membership_api(stack: Any) -> Iterator[httpx.Client]:
    http_port, _ = stack.ports.services["membership"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/membership", timeout=30) as client:
        yield client


def found_group(api: httpx.Client, token: str, name: str, ward: str) -> str:
    body = {
        "group_type": "community_group",
        "name": name,
        "description": "Our street",
        "ward_code": ward,
        "ward_name": f"Ward {ward}",
        "visibility": "public",
        "directory": "officers",
    }
    made: dict[str, Any] = {}

    def founded() -> bool:  # membership may not have seen the new force's events yet
        answer = api.post("/groups", headers=bearer(token), json=body)
        if answer.status_code == 201:
            made.update(answer.json())
        return answer.status_code == 201

    wait_until(founded, what=f"membership to found {name}")
    return str(made["group_id"])


def join(api: httpx.Client, chair: str, member: str, group_id: str) -> None:
    asked = api.post(f"/groups/{group_id}/join-requests", headers=bearer(member))
    assert asked.status_code == 201, asked.text
    admitted = api.post(
        f"/groups/{group_id}/join-requests/{asked.json()['request_id']}/admit",
        headers=bearer(chair),
        json={},
    )
    assert admitted.status_code == 200, admitted.text


def test_a_chair_messages_the_group_membership_runs_and_each_member_gets_it_once(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, membership_api: httpx.Client
) -> None:
    force = new_force(stack, identity)
    people = add_members(stack, force, ["kim", "lee", "max", "ned", "oli"])
    tokens = {n: member_token(identity, force, p) for n, p in people.items()}
    wait_until(
        lambda: membership_api.get("/groups", headers=bearer(tokens["kim"])).status_code == 200,
        what="membership",
    )
    rowan = found_group(membership_api, tokens["kim"], "Rowan Street Neighbours", "W11")
    for name in ("lee", "max"):
        join(membership_api, tokens["kim"], tokens[name], rowan)
    other = found_group(membership_api, tokens["ned"], "Yew Lane Neighbours", "W12")
    join(membership_api, tokens["ned"], tokens["oli"], other)
    wait_for_roles(stack, rowan, 3)
    wait_for_roles(stack, other, 2)
    sent = messaging.post(
        "/messages",
        headers=bearer(tokens["kim"]),
        json={
            "subject": "Rowan Street clean-up",
            "body": "Saturday, 10am, by the post box.",
            "type": "event",
            "audience": {"type": "group", "id": rowan},
        },
    )
    assert sent.status_code == 202, sent.text
    assert sent.json()["recipients"] == 3
    status = wait_for_final(messaging, tokens["kim"], sent.json()["id"], 3)
    assert status["deliveries"]["sent"] == 3
    assert status["sender"]["role"] == "chair of Rowan Street Neighbours"
    for name in ("kim", "lee", "max"):
        copies = [
            m
            for m in mails_to(stack.maildir, people[name].email)
            if m["Subject"] == "Rowan Street clean-up"
        ]
        assert len(copies) == 1, f"{name} got {len(copies)} copies"
    outsiders = {people["ned"].email.lower(), people["oli"].email.lower()}
    assert not outsiders & set(envelope_recipients(stack.maildir))
    for name in ("ned", "oli"):  # Yew Lane's chair and member
        refused = messaging.post(
            "/messages",
            headers=bearer(tokens[name]),
            json={
                "subject": "Hello",
                "body": "Not your group.",
                "audience": {"type": "group", "id": rowan},
            },
        )
        assert refused.status_code == 403, refused.text
        assert "not_an_officer" in refusal_reasons(stack, refused)
    # When Lee leaves the group through membership, messaging stops sending to Lee.
    left = membership_api.delete(
        f"/groups/{rowan}/members/{people['lee'].account_id}", headers=bearer(tokens["lee"])
    )
    assert left.status_code in (200, 204), left.text
    wait_for_roles(stack, rowan, 2)
    again = messaging.post(
        "/messages",
        headers=bearer(tokens["kim"]),
        json={
            "subject": "Rowan Street thanks",
            "body": "Thank you all.",
            "audience": {"type": "group", "id": rowan},
        },
    )
    assert again.status_code == 202 and again.json()["recipients"] == 2


def test_a_document_forwarded_through_documents_reaches_the_list_with_a_working_link(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, membership_api: httpx.Client
) -> None:
    force = new_force(stack, identity)
    people = add_members(stack, force, ["pam", "quin", "rae", "sol"])
    tokens = {n: member_token(identity, force, p) for n, p in people.items()}
    group = found_group(membership_api, tokens["pam"], "Larch Avenue Residents", "W13")
    for name in ("quin", "rae", "sol"):
        join(membership_api, tokens["pam"], tokens[name], group)
    http_port, _ = stack.ports.services["documents"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/documents", timeout=30) as docs:
        stored: dict[str, Any] = {}

        def uploaded() -> bool:  # documents learns Pam's office from membership's events
            answer = docs.post(
                f"/groups/{group}/documents",
                headers=bearer(tokens["pam"]),
                data={"title": "Minutes", "audience": "members"},
                files={"file": ("minutes.pdf", b"%PDF-1.7\n%minutes\n", "application/pdf")},
            )
            stored.update(answer.json() if answer.status_code == 201 else {})
            return answer.status_code == 201

        wait_until(uploaded, what="documents to know the chair")
        recipients = [people["quin"].account_id, people["rae"].account_id]
        made = docs.post(
            f"/groups/{group}/mailing-lists",
            headers=bearer(tokens["pam"]),
            json={"name": "Committee", "member_account_ids": recipients},
        )
        assert made.status_code == 201, made.text
        forwarded = docs.post(
            f"/documents/{stored['id']}/forward",
            headers=bearer(tokens["pam"]),
            json={"mailing_list_id": made.json()["id"]},
        )
        assert forwarded.status_code == 202, forwarded.text
        link_end = f"/documents/{stored['id']}"

        def notified(name: str) -> list[Any]:
            return [
                m for m in mails_to(stack.maildir, people[name].email) if link_end in body_text(m)
            ]

        wait_until(
            lambda: all(notified(n) for n in ("quin", "rae")),
            timeout=90,
            what="the forwarded document's notifications",
        )
        assert not notified("sol")  # in the group, not on the list
        text = body_text(notified("quin")[0])
        link = next(word for word in text.split() if link_end in word)
        # The link opens the portal, which signs the reader in first (then downloads, as
        # tests/integration/test_portal_documents_messages.py follows through).
        portal_port, _ = stack.ports.services["portal"]
        assert link == f"http://127.0.0.1:{portal_port}{link_end}"
        landed = httpx.get(link, timeout=10)
        assert landed.status_code == 303
        assert landed.headers["location"].startswith("/sign-in?next=")
        opened = docs.get(f"/documents/{stored['id']}/content", headers=bearer(tokens["quin"]))
        assert opened.status_code == 200, opened.text
