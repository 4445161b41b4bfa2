"""The force's alerts as the police panel shows them: the list with search, and one alert's
delivery dashboard (counts over time as a chart with its table, and each recipient by account
reference and status: messaging gives police no names or contact details)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.alerts import RECIPIENTS_SHOWN, AlertsApi
from snp_portal.adapters.api import Refusal
from snp_portal.adapters.police import PoliceApi
from snp_portal.domain import alert_drafts as drafts
from snp_portal.domain.delivery_chart import STATUSES
from snp_portal.domain.timeline_chart import OUTCOMES, timeline_chart
from snp_portal.entrypoints.feedback_pages import message_feedback, poll_results
from snp_portal.entrypoints.group_pages import Id, titled
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis

router = APIRouter()
POLICE = frozenset({"police"})
CHANNELS = {"email": "Email", "sms": "Text message"}
REASONS = {
    "bounced": "The address was refused",
    "no address": "No address for this way of sending",
    "account erased": "The account was closed",  # failed, or skipped by a follow-up
    "failed": "Could not be sent",
}
_CURSOR = re.compile(r"^[0-9a-fA-F-]{36}$")
DONE = {
    "sent": "Your alert is being sent",
    "approved": "You approved the alert. It is being sent",
    "corrected": "Your correction is being sent to the same recipients",
    "withdrawn": "The withdrawal is being sent to the same recipients",
}
SENT_TO = {"ward": "A ward", "group": "A group", "tenant": "The whole force"}


@router.get("/police/alerts")
def alerts(request: Request, q: str = "", audience: str = "", cursor: str = "") -> Response:
    staff = signed_in_staff(request, POLICE)
    values = {"q": q.strip(), "audience": audience}
    errors: dict[str, str] = {}
    if len(values["q"]) > 200:
        errors["q"] = "Search for 200 characters or fewer"
    if audience and audience not in SENT_TO:
        errors["audience"] = "Select who the alerts were sent to"
    page: dict[str, Any] = {"alerts": [], "next_cursor": None}
    if not errors:
        chosen = cursor if _CURSOR.match(cursor) else None
        page = AlertsApi(apis(request), staff.token).alerts(values["q"], audience, chosen)
    query = {k: v for k, v in values.items() if v}
    next_cursor = page.get("next_cursor")
    return render_form(
        request,
        "police_alerts.html",
        errors,
        values,
        400 if errors else 200,
        title="Alerts",
        active="police-alerts",
        alerts=page["alerts"],
        audiences=SENT_TO,
        next_href=(
            "/police/alerts?" + urlencode({**query, "cursor": next_cursor}) if next_cursor else None
        ),
        first_href=("/police/alerts?" + urlencode(query)) if cursor else None,
    )


def audience_words(request: Request, token: str, audience: dict[str, str]) -> str:
    """Whom an alert is for, in words (a group by its name, as membership shows it)."""
    if audience["type"] == "group":
        try:
            group = PoliceApi(apis(request), token).group(audience["id"])
        except Refusal:
            return "A group"
        return f"Group: {group['name']}"
    if audience["type"] == "ward":
        return f"Ward {audience['id']}"
    return "The whole force"


@router.get("/police/alerts/{message_id}")
def alert(request: Request, message_id: Id, done: str | None = None) -> Response:
    staff = signed_in_staff(request, POLICE)
    message = AlertsApi(apis(request), staff.token).delivery(message_id)
    recipients = message["recipients_page"]
    feedback = message_feedback(request, staff.token, message_id)
    return render_form(
        request,
        "police_alert.html",
        title=titled(message["subject"], "Alerts"),
        active="police-alerts",
        message=message,
        done_words=DONE.get(done or ""),
        audience=audience_words(request, staff.token, message["audience"]),
        counts=message["deliveries"],
        chart=timeline_chart(message.get("timeline") or {}),
        outcomes=OUTCOMES,
        types=drafts.TYPES,
        priorities=drafts.PRIORITIES,
        status_labels=dict(STATUSES),
        channels=CHANNELS,
        reasons=REASONS,
        recipients=recipients,
        more_recipients=len(recipients) >= RECIPIENTS_SHOWN,
        feedback=feedback,
        poll_results=poll_results(feedback),
    )
