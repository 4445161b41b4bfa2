"""Governance of police alerts through the portal in Debian's headless Chromium, against the
real stack (issue 17's proof): the force's administrator turns on the rule; officer A sends a
force-wide alert, which waits (the confirmation says so) and shows A no Approve button; A's
forced approval is refused by messaging and said on the page; officer B's rejection without a
reason shows the error summary and changes nothing; B approves it and the members who asked for
alerts get it once by mail (the member who did not, nothing); A's correction from the portal
reaches exactly the same recipients. axe-core finds no violation on any page and no page
breaks its CSP. Screenshots: .artifacts/screenshots/portal/alert-governance-*."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

import pytest

from tests.integration.group_people import a_force_of
from tests.integration.membership_people import found_group, membership_client
from tests.integration.messaging_helpers import mails_to, wait_until
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser import Visit, chromium, playwright
from tests.integration.test_portal_browser_police import _sign_in
from tests.integration.test_portal_browser_police_alerts import messaging_client

pytestmark = pytest.mark.integration
__all__ = ["playwright"]

WARD = "E05007788"


def mailed(stack: Any, people: dict[str, Any], subject: str) -> dict[str, int]:
    """How many copies of the mail with exactly this subject each person got (those with any)."""
    counts = {
        key: sum(m["Subject"] == subject for m in mails_to(stack.maildir, account.email))
        for key, account in people.items()
    }
    return {k: n for k, n in counts.items() if n}


def test_a_force_wide_alert_waits_for_a_second_officer_then_reaches_members_and_is_corrected(
    stack: Any, playwright: Any
) -> None:
    people = a_force_of(
        stack,
        alice=("member", "Alice Founder"),
        olive=("member", "Olive Opted"),
        pat=("member", "Pat Opted"),
        nora=("member", "Nora Notopted"),
        admin=("tenant_admin", "Ada Admin"),
        officer_a=("police", "PC Amy Writer"),
        officer_b=("police", "PS Ben Checker"),
    )
    members = {k: people[k][0] for k in ("olive", "pat", "nora")}
    a_account, a_api = people["officer_a"]
    b_account, _b_api = people["officer_b"]
    subject = f"Courier fraud warning {uuid.uuid4().hex[:6]}"
    base = portal_url(stack)
    with membership_client(stack) as api, messaging_client(stack) as messaging:
        found_group(api, people["alice"][1], name="Birch Watch", ward_code=WARD, ward_name="Birch")

        def opted_in(key: str) -> bool:
            put = messaging.put(
                "/preferences",
                headers=people[key][1].auth,
                json={"channels": ["email"], "areas": [WARD]},
            )
            return put.status_code == 200

        for key in ("olive", "pat"):
            wait_until(partial(opted_in, key), timeout=90, what="messaging knowing the ward")

        with chromium(playwright) as admin_context:
            page = admin_context.new_page()
            visit = Visit(page, "alert-governance-admin")
            page.goto(f"{base}/force-admin/alert-approval")
            _sign_in(page, people["admin"][0])
            assert page.get_by_role("heading", name="Alert approval").is_visible()
            assert "every police alert is sent at once" in page.inner_text("main")
            visit.check("rule-off")
            page.get_by_label("Alerts to the whole force", exact=True).check()
            page.get_by_label("Urgent alerts, to any audience", exact=True).check()
            page.get_by_role("button", name="Save").click()
            assert "The force's rule for alerts is saved." in page.inner_text("main")
            visit.check("rule-on")
        rule = messaging.get("/alerts/approval-rule", headers=people["admin"][1].auth)
        assert rule.json() == {"approval_required": True, "force_wide": True, "urgent": True}

        with chromium(playwright) as a_context, chromium(playwright) as b_context:
            a_page, b_page = a_context.new_page(), b_context.new_page()
            a_visit = Visit(a_page, "alert-governance-a")
            b_visit = Visit(b_page, "alert-governance-b")

            # Officer A writes a force-wide alert: it waits, and A cannot approve it.
            a_page.goto(f"{base}/police/alerts/new")
            _sign_in(a_page, a_account)
            a_page.get_by_label("The whole force", exact=True).check()
            a_page.get_by_label("Subject").fill(subject)
            a_page.get_by_label("Alert", exact=True).fill(
                "Nobody from the police will ever send a courier to collect your bank card."
            )
            a_page.get_by_role("button", name="Continue").click()
            assert a_page.get_by_role("heading", name="Check your alert").is_visible()
            a_page.get_by_role("button", name="Send the alert").click()
            main = a_page.inner_text("main")
            assert "Your alert is waiting for a second officer. It has not been sent yet." in main
            assert "being sent" not in main
            assert a_page.get_by_role("button", name="Approve and send").count() == 0
            assert "The whole force" in main and "You, police officer" in main
            a_visit.check("held")
            alert_id = a_page.url.split("/police/alerts/waiting/")[1].split("?")[0]
            held = messaging.get(f"/alerts/held/{alert_id}", headers=a_api.auth).json()
            assert held["status"] == "waiting"
            assert messaging.get(f"/messages/{alert_id}", headers=a_api.auth).status_code == 404

            # A forces an approval (the withdraw form, pointed at approve): messaging refuses.
            forged = f"/police/alerts/waiting/{alert_id}/approve"
            with a_page.expect_navigation():
                a_page.eval_on_selector(
                    "#withdraw-form", f"f => {{ f.action = '{forged}'; f.submit(); }}"
                )
            assert a_page.get_by_role("heading", name="There is a problem").is_visible()
            refusal = (
                "You cannot approve or reject an alert you wrote. Another police officer must."
            )
            assert refusal in a_page.locator(".govuk-error-summary").inner_text()
            a_visit.check("forced-approval")
            held = messaging.get(f"/alerts/held/{alert_id}", headers=a_api.auth).json()
            assert held["status"] == "waiting"
            a_page.get_by_role("button", name="Change the alert").click()
            assert a_page.get_by_label("Subject").input_value() == subject
            a_visit.check("edit")

            # Officer B finds it waiting; a rejection without a reason changes nothing.
            b_page.goto(f"{base}/police/alerts")
            _sign_in(b_page, b_account)
            b_page.get_by_role("link", name="Alerts waiting for approval").click()
            assert b_page.get_by_role("heading", name="Alerts waiting for approval").is_visible()
            row = b_page.locator("main table tbody tr", has_text=subject)
            assert "You can approve it" in row.inner_text()
            b_visit.check("waiting-list")
            row.get_by_role("link", name=subject).click()
            assert "PC Amy Writer, police officer" in b_page.inner_text("main")
            b_visit.check("waiting-alert")
            b_page.get_by_role("button", name="Reject the alert").click()
            assert b_page.get_by_role("heading", name="There is a problem").is_visible()
            summary = b_page.locator(".govuk-error-summary").inner_text()
            assert "Enter why you are rejecting the alert" in summary
            b_visit.check("reject-no-reason")
            held = messaging.get(f"/alerts/held/{alert_id}", headers=a_api.auth).json()
            assert held["status"] == "waiting" and held["decided_by"] is None

            b_page.get_by_role("button", name="Approve and send").click()
            assert b_page.get_by_role("heading", name=subject).is_visible()
            assert "You approved the alert. It is being sent" in b_page.inner_text("main")
            assert b_page.get_by_role("button", name="Send a correction").count() == 0
            b_visit.check("approved")

            wait_until(
                lambda: len(mailed(stack, members, subject)) == 2, timeout=90, what="the alert"
            )
            assert mailed(stack, members, subject) == {"olive": 1, "pat": 1}

            # A corrects it from its page: exactly the same recipients hear of it.
            a_page.goto(f"{base}/police/alerts/{alert_id}/withdrawal")
            assert a_page.get_by_role("heading", name="Withdraw this alert").is_visible()
            a_visit.check("withdrawal-form")
            a_page.goto(f"{base}/police/alerts/{alert_id}")
            a_page.get_by_role("button", name="Send a correction").click()
            assert a_page.get_by_role("heading", name="Send a correction").is_visible()
            a_page.get_by_role("button", name="Send the correction").click()
            assert a_page.get_by_role("heading", name="There is a problem").is_visible()
            a_visit.check("correction-error")
            a_page.get_by_label("The correction").fill("Nor will your bank. Hang up and call 159.")
            a_page.get_by_label("Why it is corrected (optional)").fill("added the bank")
            a_page.get_by_role("button", name="Send the correction").click()
            main = a_page.inner_text("main")
            assert "Your correction is being sent to the same recipients" in main
            assert "A correction was sent" in main
            a_visit.check("corrected")
            correction_id = (
                a_page.locator("#follow-ups a").first.get_attribute("href") or ""
            ).rsplit("/", 1)[1]

        corrected = f"Correction: {subject}"
        wait_until(
            lambda: len(mailed(stack, members, corrected)) == 2, timeout=90, what="the correction"
        )
        assert mailed(stack, members, corrected) == {"olive": 1, "pat": 1}
        original = messaging.get(f"/messages/{alert_id}", headers=a_api.auth).json()
        follow_up = messaging.get(f"/messages/{correction_id}", headers=a_api.auth).json()
    assert follow_up["follows_up"] == {"id": alert_id, "kind": "correction"}
    assert sorted(r["account_id"] for r in follow_up["recipients_page"]) == sorted(
        r["account_id"] for r in original["recipients_page"]
    )
    assert members["nora"].account_id not in str(original["recipients_page"])
