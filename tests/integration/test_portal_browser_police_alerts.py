"""A police officer sends a ward alert through the portal in Debian's headless Chromium: the
form (its errors first), "Check your alert" with the preview messaging renders, the send, and
the delivery dashboard with its counts over time and each recipient by account reference only.
A member who opted in to that ward gets it (inbox and the mail sink); a member of the same
force who did not, does not. axe-core finds no violation on any page, and no page breaks its
CSP. Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.integration.group_people import a_force_of
from tests.integration.membership_people import found_group, membership_client
from tests.integration.messaging_helpers import mails_to, wait_until
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser import Visit, chromium, playwright
from tests.integration.test_portal_browser_police import _sign_in

pytestmark = pytest.mark.integration
__all__ = ["playwright"]  # the Chromium fixture, shared with the sign-in journeys

WARD = "E05007777"


@contextmanager
def messaging_client(stack: Any) -> Iterator[httpx.Client]:
    port, _ = stack.ports.services["messaging"]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/messaging", timeout=30) as client:
        yield client


def test_police_send_a_ward_alert_that_reaches_only_members_opted_in(
    stack: Any, playwright: Any
) -> None:
    people = a_force_of(
        stack,
        alice=("member", "Alice Founder"),
        olive=("member", "Olive Opted"),
        nora=("member", "Nora Notopted"),
        police=("police", "PC Sam Patel"),
    )
    (_a, alice_api), (olive, olive_api), (nora, nora_api), (police, police_api) = (
        people[k] for k in ("alice", "olive", "nora", "police")
    )
    subject = f"Burglaries in Rowan {uuid.uuid4().hex[:6]}"
    with membership_client(stack) as api, messaging_client(stack) as messaging:
        found_group(api, alice_api, name="Rowan Close Watch", ward_code=WARD, ward_name="Rowan")

        # Messaging learns the ward from membership's events; then members choose it.
        def ward_known() -> bool:
            put = messaging.put(
                "/preferences",
                headers=olive_api.auth,
                json={"channels": ["email"], "areas": [WARD]},
            )
            return put.status_code == 200

        wait_until(ward_known, timeout=90, what="messaging to know the ward")
        put = messaging.put(
            "/preferences", headers=nora_api.auth, json={"channels": ["email"], "areas": []}
        )
        assert put.status_code == 200, put.text

        base = portal_url(stack)
        with chromium(playwright) as context:
            page = context.new_page()
            visit = Visit(page, "police-alerts")
            page.goto(f"{base}/police/alerts")
            _sign_in(page, police)
            assert page.url == f"{base}/police/alerts"
            assert page.get_by_role("heading", name="Alerts", exact=True).is_visible()
            visit.check("alerts-none")

            page.get_by_role("button", name="Send an alert").click()
            assert page.get_by_role("heading", name="Send an alert").is_visible()
            visit.check("new")
            page.get_by_role("button", name="Continue").click()
            assert page.get_by_role("heading", name="There is a problem").is_visible()
            summary = page.locator(".govuk-error-summary").inner_text()
            assert "Select who the alert is for" in summary and "Enter a subject" in summary
            visit.check("new-errors")

            page.get_by_label("A ward", exact=True).check()
            page.get_by_label("Ward (if it is for a ward)").select_option(WARD)
            page.get_by_label("Type").select_option(label="Alert")
            page.get_by_label("High").check()
            page.get_by_label("Subject").fill(subject)
            page.get_by_label("Alert", exact=True).fill(
                "Two break-ins on Rowan Close last night.\nAdvice: https://police.example/lock-up"
            )
            page.get_by_label("Attach a file (optional)").set_input_files(
                {"name": "advice.txt", "mimeType": "text/plain", "buffer": b"Lock doors.\n"}
            )
            page.get_by_role("button", name="Continue").click()
            assert page.get_by_role("heading", name="Check your alert").is_visible()
            main = page.inner_text("main")
            assert f"Subject: [HIGH] {subject}" in main
            assert "Ward: Rowan (E05007777)" in main
            assert "1 member, 1 email or text message" in main
            assert "From PC Sam Patel, police officer, " in main
            assert "advice.txt" in main
            link = page.locator("#inbox-preview a[href='https://police.example/lock-up']")
            assert link.count() == 1
            visit.check("check")

            page.get_by_role("button", name="Send the alert").click()
            assert page.get_by_role("heading", name=subject).is_visible()
            assert "Your alert is being sent" in page.inner_text("main")
            visit.check("sent")
            message_id = page.url.split("/police/alerts/")[1].split("?")[0]

            def delivered() -> bool:
                page.reload()
                return bool(page.locator("#timeline").count() == 1)

            wait_until(delivered, timeout=90, what="the alert's delivery")
            totals = page.locator("#timeline tfoot").inner_text()
            assert totals.split() == ["Total", "1", "0", "0"]
            recipients = page.locator("#recipients tbody tr")
            assert recipients.count() == 1
            assert recipients.first.get_attribute("data-account") == olive.account_id
            assert recipients.first.get_attribute("data-status") == "sent"
            main = page.inner_text("main")
            for who in (olive, nora):
                assert who.name not in main and who.email not in main
            assert nora.account_id not in main
            visit.check_narrow_too("dashboard")

            page.get_by_role("link", name="Alerts", exact=True).first.click()
            page.get_by_label("Subject").fill(subject.split()[-1])
            page.get_by_role("button", name="Search").click()
            listed = page.locator("main table").inner_text()
            assert subject in listed and "1 sent" in listed
            visit.check("alerts-found")
            page.goto(f"{base}/police/alerts?q=nothing-like-it")
            assert "No alerts found." in page.inner_text("main")

            page.goto(f"{base}/police/alerts?audience=planet")
            assert page.get_by_role("heading", name="There is a problem").is_visible()
            visit.check("alerts-bad-filter")

    # The opted-in member has it in their inbox and by mail; the other member neither.
    with messaging_client(stack) as messaging:
        olive_inbox = messaging.get("/inbox", headers=olive_api.auth).json()["messages"]
        nora_inbox = messaging.get("/inbox", headers=nora_api.auth).json()["messages"]
        police_view = messaging.get(f"/messages/{message_id}", headers=police_api.auth).json()
    assert [m["subject"] for m in olive_inbox] == [subject]
    assert nora_inbox == []
    mail = [m for m in mails_to(stack.maildir, olive.email) if subject in (m["Subject"] or "")]
    assert [m["Subject"] for m in mail] == [f"[HIGH] {subject}"]
    assert [a.get_filename() for a in mail[0].iter_attachments()] == ["advice.txt"]
    assert not [m for m in mails_to(stack.maildir, nora.email) if subject in (m["Subject"] or "")]
    assert olive.name not in str(police_view) and olive.email not in str(police_view)
