"""Who has seen your contact details, in Debian's headless Chromium against the real stack: a
member reaches it from their account page and reads a police lookup and a message delivery in
words, newest first, and their own choice of who may send them alerts; another member sees
the empty states; axe-core finds no violation on
either (wide and 320 px). Screenshots go to .artifacts/screenshots/portal/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest

from snp.identity.v1 import directory_pb2 as dpb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp.identity.v1 import events_pb2 as epb
from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner
from snp_stack import toolbox
from snp_stack.secrets import service_private_key
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.group_people import a_force_of
from tests.integration.membership_people import Person, identity_client
from tests.integration.messaging_helpers import wait_until
from tests.integration.portal_people import Account, portal_url

pytestmark = pytest.mark.integration

PANEL = "Riverside Ward Panel"


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    toolbox.require("npm")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as context:
        yield context


def _deliver_a_message_to(stack: Any, member: Person) -> None:
    """What messaging's worker asks when it delivers a police alert: a release with its
    purpose, over the directory's gRPC, signed as messaging."""
    _http, grpc_port = stack.ports.services["identity"]
    signer = ServiceTokenSigner("messaging", service_private_key(stack.state_dir, "messaging"))
    why = epb.ReleasePurpose(
        code="message_delivery",
        message_id="0190c1e2-0000-7000-8000-00000000a1e7",
        subject="Burglaries in Riverside",
        sender_role="police officer",
        sender_kind="police",
        force="Test Constabulary",
    )
    request = dpb.GetContactsRequest(tenant=member.tenant, account_ids=[member.account_id], why=why)
    with grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{grpc_port}"),
        ServiceTokenClientInterceptor(signer, "identity"),
    ) as channel:
        assert len(rpc.DirectoryStub(channel).GetContacts(request, timeout=10).contacts) == 1


def _turn_the_police_off(stack: Any, member: Person) -> None:
    """The member's own choice through messaging's API (once messaging knows the force)."""
    port = stack.ports.services["messaging"][0]
    body = {"channels": ["email"], "areas": [], "providers": [{"id": "police", "on": False}]}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/messaging", timeout=30) as messaging:

        def chosen() -> bool:
            return messaging.put("/preferences", headers=member.auth, json=body).is_success

        wait_until(chosen, 60, "messaging to take the member's choice")


def _sign_in(page: Any, base: str, who: Account) -> None:
    page.goto(f"{base}/account")
    fill_sign_in(page, who.tenant, who.email)
    page.wait_for_url(f"{base}/account")


def test_a_member_reads_who_has_seen_their_contact_details(stack: Any, browser: Any) -> None:
    force = a_force_of(
        stack,
        bob=("member", "Bob Resident"),
        carol=("member", "Carol Quiet"),
        police=("police", "PC Sam Patel"),
    )
    (bob, bob_api), (carol, _), (_, police) = force["bob"], force["carol"], force["police"]
    _deliver_a_message_to(stack, bob_api)
    with identity_client(stack) as identity:
        found = identity.post(
            "/staff/member-lookups",
            json={"email": bob.email, "for_panel": PANEL},
            headers=police.auth,
        )
        assert found.status_code == 200, found.text

    _turn_the_police_off(stack, bob_api)

    base, page = portal_url(stack), browser.new_page()
    visit = Visit(page, "disclosures")
    _sign_in(page, base, bob)
    page.get_by_role("link", name="See who has seen your contact details").click()
    page.wait_for_url(f"{base}/account/disclosures")
    page.get_by_role("heading", name="Who has seen your contact details").wait_for()
    assert page.title().startswith("Who has seen your contact details")
    rows = page.get_by_role("region", name="Who has seen your contact details").locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[1:] == [
        f"The Test Constabulary police team looked you up by email to name you chair of {PANEL}.",
        "Accounts",
    ]
    assert rows.nth(1).inner_text().split("\t")[1:] == [
        "Sent you “Burglaries in Riverside” for a police officer of Test Constabulary.",
        "Messages",
    ]
    [choice] = (
        page.get_by_role("region", name="Who you let send you alerts")
        .locator("tbody tr")
        .all_inner_texts()
    )
    assert choice.split("\t")[1] == "You turned off alerts from Test Constabulary (police)."
    visit.check_narrow_too("listed")
    page.context.clear_cookies()

    other = browser.new_page()
    other_visit = Visit(other, "disclosures-empty")
    _sign_in(other, base, carol)
    other.goto(f"{base}/account/disclosures")
    other.get_by_text("Nobody has been given your contact details yet.").wait_for()
    other.get_by_text("You have not changed who may send you alerts").wait_for()
    assert other.locator("tbody tr").count() == 0
    assert "Riverside" not in other.content()
    other_visit.check("empty")
