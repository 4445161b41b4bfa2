"""The alert governance pages rendered through the app with messaging faked (httpx's
MockTransport): a held send says it waits; the waiting list and an alert's page offer Approve
and Reject only to another officer, and Change and Withdraw only to its writer; a rejection
without a reason and a correction without words ask nothing of messaging; a forced approval of
one's own alert shows messaging's refusal in words; a sent alert's follow-ups are sent as typed
and shown; the tenant admin's rule is read and set. The real stack is in
tests/integration/test_portal_browser_alert_governance.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.domain import alert_governance as governance
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.app import build_app
from snp_portal.entrypoints.routes_force_alert_rule import rule_words
from snp_portal.settings import PortalSettings


def token(sub: str, kind: str) -> str:
    claims = {"sub": sub, "tenant": "met", "kind": kind, "amr": ["pwd", "otp", "mfa"]}
    return jwt.encode(claims, "k" * 32, algorithm="HS256")


NOW = datetime.now(UTC)
PROBLEM = {"content-type": "application/problem+json"}


def held(alert_id: str, sender: str, decidable: bool, status: str = "waiting") -> dict[str, Any]:
    return {
        "id": alert_id,
        "subject": f"Scam warning {alert_id}",
        "body": "Do not give your bank details. https://police.example/scams",
        "type": "alert",
        "priority": "normal",
        "sender": {"id": sender, "name": "PC Jo Patel", "role": "police officer"},
        "audience": {"type": "tenant", "id": "met"},
        "status": status,
        "decided_by": None,
        "reason": "",
        "held_at": "2025-03-01T09:30:00+00:00",
        "decidable": decidable,
    }


SENT: dict[str, Any] = {
    "id": "m1",
    "subject": "Suspect vehicle",
    "body": "A red van.",
    "type": "alert",
    "priority": "normal",
    "sender": {"name": "PC Jo Patel", "role": "police officer", "force": "Met"},
    "audience": {"type": "ward", "id": "W01"},
    "link": None,
    "attachments": [],
    "sent_at": "2025-03-01T09:30:00+00:00",
    "recipients": 3,
    "deliveries": {
        "total": 3,
        "pending": 0,
        "queued": 0,
        "sent": 2,
        "failed": 0,
        "bounced": 0,
        "skipped": 1,
    },
    "timeline": {"interval_seconds": 60, "buckets": []},
    "recipients_identified": False,
    "recipients_page": [],
    "follows_up": None,
    "follow_ups": [],
    "withdrawn": False,
    "amendable": True,
}


class FakeMessaging:
    """Messaging's governance routes as the pages call them; every request kept."""

    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.alerts = {"a1": held("a1", "pc1", False), "a2": held("a2", "pc2", True)}
        self.sent = dict(SENT)
        self.rule: dict[str, bool] = {"force_wide": False, "urgent": False}

    def posted(self, suffix: str) -> list[dict[str, Any]]:
        return [
            json.loads(c.content)
            for c in self.calls
            if c.method in ("POST", "PUT") and c.url.path.endswith(suffix)
        ]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        path, method = request.url.path.removeprefix("/messaging"), request.method
        if path == "/alerts/held":
            return httpx.Response(200, json={"alerts": list(self.alerts.values())})
        if path.startswith("/alerts/held/"):
            alert_id, _, verb = path.removeprefix("/alerts/held/").partition("/")
            alert = self.alerts[alert_id]
            if verb == "approve" and alert["sender"]["id"] == "pc1":
                refused = {"type": "urn:snp:problem:forbidden", "title": "Forbidden", "status": 403}
                return httpx.Response(403, json=refused, headers=PROBLEM)
            if method == "PUT":
                alert.update(json.loads(request.content))
            elif verb:
                alert["status"] = {"approve": "approved", "reject": "rejected"}.get(
                    verb, "withdrawn"
                )
            return httpx.Response(200, json=alert)
        if path == "/messages" and method == "POST":
            return httpx.Response(202, json={"id": "a9", "recipients": 0, "status": "waiting"})
        if path == "/messages/m1":
            return httpx.Response(200, json=self.sent)
        if path == "/messages/m1/feedback":  # no poll, no ratings yet
            feedback = {"ratings": {"useful": 0, "not_useful": 0, "comments": []}, "poll": None}
            return httpx.Response(200, json={"id": "m1", "recipients": 0, **feedback})
        if path in ("/messages/m1/correction", "/messages/m1/withdrawal"):
            kind = path.rsplit("/", 1)[1]
            follow = {"id": "f1", "kind": kind, "subject": "Correction", "sent_at": SENT["sent_at"]}
            self.sent["follow_ups"] = [*self.sent["follow_ups"], follow]
            return httpx.Response(202, json={"id": "f1", "follows_up": "m1", "kind": kind})
        if path == "/alerts/approval-rule":
            if method == "PUT":
                self.rule = json.loads(request.content)
            return httpx.Response(
                200, json={"approval_required": any(self.rule.values()), **self.rule}
            )
        raise AssertionError(f"unexpected {method} {request.url}")


class SignedInPortal:
    def __init__(self, access: str) -> None:
        self.session = Session("s1", "csrf-1", NOW, NOW, access, "refresh", NOW, "met")
        self.access = access
        self.held_values: dict[str, Any] = {}

    def current(self, _cookie: str | None) -> Session:
        return self.session

    def access_token(self, _session: Session) -> str:
        return self.access

    def hold(self, _session: Session, what: str, value: Any) -> None:
        self.held_values[what] = json.loads(json.dumps(value))

    def held(self, _session: Session, what: str) -> Any:
        return self.held_values.get(what)

    def take_held(self, _session: Session, what: str) -> Any:
        return self.held_values.pop(what, None)


def app_for(sub: str = "pc1", kind: str = "police") -> tuple[TestClient, FakeMessaging, Any]:
    messaging = FakeMessaging()
    app = build_app(
        PortalSettings(cookie_secure=False, portal_session_keys=SecretStr(generate_config())),
        unopened_pool(),
    )
    app.state.portal = SignedInPortal(token(sub, kind))
    app.state.apis = Apis.from_urls(
        "http://i", "http://m", "http://d", "http://g", httpx.MockTransport(messaging)
    )
    client = TestClient(app, base_url="http://testserver", follow_redirects=False)
    return client, messaging, app.state.portal


def test_a_held_send_goes_to_the_waiting_page_which_says_nothing_was_sent() -> None:
    page, messaging, portal = app_for()
    draft = {
        "audience": "tenant",
        "group_id": "",
        "ward_code": "",
        "type": "alert",
        "priority": "normal",
        "subject": "Scam warning a1",
        "body": "Do not give your bank details.",
    }
    portal.held_values["alert_draft"] = {"values": draft, "attachment": None}
    sent = page.post("/police/alerts/check", data={"csrf_token": "csrf-1", "step": "send"})
    assert (sent.status_code, sent.headers["location"]) == (
        303,
        "/police/alerts/waiting/a9?done=held",
    )
    messaging.alerts["a9"] = held("a9", "pc1", False)
    shown = page.get(sent.headers["location"])
    assert "Your alert is waiting for a second officer. It has not been sent yet." in shown.text
    assert "being sent" not in shown.text


def test_the_list_tells_apart_what_the_officer_wrote_and_may_approve() -> None:
    page, _messaging, _portal = app_for()
    listed = page.get("/police/alerts/waiting")
    assert listed.status_code == 200
    assert 'href="/police/alerts/waiting/a1"' in listed.text
    assert "2 alerts waiting" in listed.text
    assert "You wrote it" in listed.text and "You can approve it" in listed.text
    assert "The whole force" in listed.text


def test_the_writer_sees_change_and_withdraw_and_no_approve_button() -> None:
    page, _messaging, _portal = app_for()
    own = page.get("/police/alerts/waiting/a1")
    assert own.status_code == 200
    assert "Approve and send" not in own.text and "/approve" not in own.text
    assert "You wrote this alert, so another police officer must approve it." in own.text
    assert 'href="/police/alerts/waiting/a1/edit"' in own.text
    assert 'action="/police/alerts/waiting/a1/withdraw"' in own.text
    others = page.get("/police/alerts/waiting/a2")
    assert 'action="/police/alerts/waiting/a2/approve"' in others.text
    assert 'action="/police/alerts/waiting/a2/reject"' in others.text
    assert "/withdraw" not in others.text and "/edit" not in others.text
    assert "The whole force" in others.text and "PC Jo Patel, police officer" in others.text


def test_a_rejection_without_a_reason_asks_nothing_of_messaging() -> None:
    page, messaging, _portal = app_for()
    answer = page.post(
        "/police/alerts/waiting/a2/reject", data={"csrf_token": "csrf-1", "reason": "  "}
    )
    assert answer.status_code == 400
    assert "There is a problem" in answer.text
    assert (
        'href="#reason"' in answer.text and "Enter why you are rejecting the alert" in answer.text
    )
    assert messaging.posted("/reject") == []
    assert messaging.alerts["a2"]["status"] == "waiting"
    done = page.post(
        "/police/alerts/waiting/a2/reject",
        data={"csrf_token": "csrf-1", "reason": "The fire service leads"},
    )
    assert (done.status_code, done.headers["location"]) == (
        303,
        "/police/alerts/waiting/a2?done=rejected",
    )
    assert messaging.posted("/reject") == [{"reason": "The fire service leads"}]


def test_a_forced_approval_of_ones_own_alert_shows_messagings_refusal() -> None:
    page, messaging, _portal = app_for()
    forced = page.post("/police/alerts/waiting/a1/approve", data={"csrf_token": "csrf-1"})
    assert forced.status_code == 403
    assert "There is a problem" in forced.text
    assert "You cannot approve or reject an alert you wrote. Another police officer must." in (
        forced.text
    )
    assert messaging.posted("/approve") == [{"reason": ""}]  # asked, and refused
    assert messaging.alerts["a1"]["status"] == "waiting"


def test_another_officer_approves_and_lands_on_the_delivery_page() -> None:
    page, messaging, _portal = app_for()
    done = page.post("/police/alerts/waiting/a2/approve", data={"csrf_token": "csrf-1"})
    assert (done.status_code, done.headers["location"]) == (303, "/police/alerts/a2?done=approved")
    assert messaging.alerts["a2"]["status"] == "approved"


def test_the_writer_changes_the_words_after_the_forms_errors() -> None:
    page, messaging, _portal = app_for()
    form = page.get("/police/alerts/waiting/a1/edit")
    assert 'value="Scam warning a1"' in form.text
    wording = {"type": "alert", "priority": "urgent", "subject": "Scam: phone calls", "body": ""}
    bad = page.post("/police/alerts/waiting/a1/edit", data={"csrf_token": "csrf-1", **wording})
    assert bad.status_code == 400 and "Enter the alert" in bad.text
    assert messaging.posted("/alerts/held/a1") == []
    wording["body"] = "Banks never phone to ask for your PIN."
    done = page.post("/police/alerts/waiting/a1/edit", data={"csrf_token": "csrf-1", **wording})
    assert done.headers["location"] == "/police/alerts/waiting/a1?done=edited"
    assert messaging.posted("/alerts/held/a1") == [wording]


def test_a_post_without_the_csrf_token_changes_nothing() -> None:
    page, messaging, _portal = app_for()
    answer = page.post("/police/alerts/waiting/a2/approve", data={"csrf_token": "forged"})
    assert answer.status_code == 403
    assert messaging.posted("/approve") == []


def test_a_correction_goes_as_typed_and_the_alert_shows_it() -> None:
    page, messaging, _portal = app_for()
    shown = page.get("/police/alerts/m1")
    assert 'href="/police/alerts/m1/correction"' in shown.text
    assert 'href="/police/alerts/m1/withdrawal"' in shown.text
    assert "1 skipped (account closed)" in shown.text
    empty = page.post("/police/alerts/m1/correction", data={"csrf_token": "csrf-1", "body": ""})
    assert empty.status_code == 400 and "Enter the correction" in empty.text
    assert messaging.posted("/correction") == []
    sent = page.post(
        "/police/alerts/m1/correction",
        data={"csrf_token": "csrf-1", "body": "A blue van.", "reason": "wrong colour"},
    )
    assert sent.headers["location"] == "/police/alerts/m1?done=corrected"
    assert messaging.posted("/correction") == [
        {"subject": "", "body": "A blue van.", "reason": "wrong colour"}
    ]
    after = page.get(sent.headers["location"])
    assert "Your correction is being sent to the same recipients" in after.text
    assert "A correction was sent" in after.text and 'href="/police/alerts/f1"' in after.text


def test_a_withdrawal_needs_its_reason_and_others_see_no_follow_up_buttons() -> None:
    page, messaging, _portal = app_for()
    no_reason = page.post(
        "/police/alerts/m1/withdrawal", data={"csrf_token": "csrf-1", "body": "It is over."}
    )
    assert no_reason.status_code == 400 and "Enter why the alert is withdrawn" in no_reason.text
    assert messaging.posted("/withdrawal") == []
    messaging.sent["amendable"] = False
    other = page.get("/police/alerts/m1")
    assert "/correction" not in other.text and "/withdrawal" not in other.text


def test_the_tenant_admin_reads_and_sets_the_forces_two_settings() -> None:
    page, messaging, _portal = app_for("admin1", "tenant_admin")
    shown = page.get("/force-admin/alert-approval")
    assert shown.status_code == 200 and "Now: every police alert is sent at once." in shown.text
    assert 'href="/force-admin/alert-approval"' in shown.text  # in the admin's menu
    assert 'name="force_wide"' in shown.text and 'name="urgent"' in shown.text
    forged = page.post(
        "/force-admin/alert-approval", data={"csrf_token": "csrf-1", "urgent": "maybe"}
    )
    assert forged.status_code == 400 and 'href="#force_wide"' in forged.text
    assert messaging.posted("/alerts/approval-rule") == []
    done = page.post("/force-admin/alert-approval", data={"csrf_token": "csrf-1", "urgent": "yes"})
    assert done.headers["location"] == "/force-admin/alert-approval?done=changed"
    assert messaging.posted("/alerts/approval-rule") == [{"force_wide": False, "urgent": True}]
    after = page.get(done.headers["location"])
    assert "Now: urgent alerts wait for a second police officer" in after.text
    assert re.search(r'name="urgent"[^>]*checked', after.text)
    assert not re.search(r'name="force_wide"[^>]*checked', after.text)
    # Nothing ticked: every alert goes at once (unticked boxes send nothing).
    page.post("/force-admin/alert-approval", data={"csrf_token": "csrf-1"})
    assert messaging.posted("/alerts/approval-rule")[-1] == {"force_wide": False, "urgent": False}
    police, _m, _p = app_for()
    assert police.get("/force-admin/alert-approval").status_code == 403


def test_the_rule_in_words() -> None:
    assert rule_words(True, True).startswith("Now: alerts to the whole force and urgent alerts")
    assert rule_words(True, False) == (
        "Now: alerts to the whole force wait for a second police officer to approve them."
    )
    assert rule_words(False, True).startswith("Now: urgent alerts wait")
    assert rule_words(False, False) == "Now: every police alert is sent at once."


def test_the_words_for_reasons_and_states() -> None:
    assert governance.read_reason({"reason": " x "}, None).values == {"reason": "x"}
    assert governance.read_reason({}, "Enter why").errors == {"reason": "Enter why"}
    assert "1,000" in governance.read_reason({"reason": "x" * 1001}, None).errors["reason"]
    rejected = {"status": "rejected", "reason": "not ours"}
    assert governance.what_became_of(rejected, "you") == (
        "It was rejected by you, so it was not sent. The reason given: not ours"
    )
    assert governance.refusal_words("alert-state-conflict", False).startswith("The alert is not")


def test_the_alert_says_how_many_got_it_by_text_because_their_email_failed() -> None:
    page, messaging, _portal = app_for()
    assert "by text message because" not in page.get("/police/alerts/m1").text
    messaging.sent["fell_back"] = 2
    shown = page.get("/police/alerts/m1")
    assert "2 by text message because the member&#39;s email failed" in shown.text
