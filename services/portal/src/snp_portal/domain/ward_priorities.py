"""Ward priorities as the pages say them: engagement's categories, statuses and verdicts in
words, the forms' own checks (what a person must fill in, engagement's limits), an order moved
up or down, and engagement's refusals as the forms' field errors. Pure: answers in, words out."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from snp_portal.domain.refusals import STALE, error_message

CATEGORIES = {
    "asb": "Anti-social behaviour",
    "drugs": "Drugs",
    "burglary": "Burglary",
    "vehicle_crime": "Vehicle crime",
    "road_safety": "Road safety",
    "other": "Other",
}
STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "not_possible": "Could not be done",
}
# GOV.UK tag colours for a status, so the state is seen as well as read.
STATUS_TAGS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "not_possible": "govuk-tag--red",
}
VERDICTS = {"accepted": "Accepted by the panel", "not_delivered": "Not delivered"}
POLICE_AGENCY = "police"  # engagement records police actions for the force itself

# Engagement's limits (services/engagement/.../schemas.py): said before it is asked.
MAX_TITLE, MAX_TEXT, MAX_COMMENT = 200, 4000, 2000
_DATE = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def priority_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = "Enter the priority's title"
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = f"The title must be {MAX_TITLE} characters or fewer"
    if len(values["description"]) > MAX_TEXT:
        errors["description"] = f"The description must be {MAX_TEXT:,} characters or fewer"
    if values["category"] not in CATEGORIES:
        errors["category"] = "Select the kind of problem"
    return errors


def action_date(values: dict[str, str]) -> str:
    """The date fields (day, month, year) as engagement's ISO date, or "" when not a date."""
    day, month, year = (values.get(k, "").strip() for k in ("day", "month", "year"))
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        return ""
    try:
        iso = date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 31 February, month 13, ...
        return ""
    return iso if _DATE.match(iso) else ""


def action_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["description"]:
        errors["description"] = "Enter what was done or is planned"
    elif len(values["description"]) > MAX_TEXT:
        errors["description"] = f"What was done must be {MAX_TEXT:,} characters or fewer"
    if not action_date(values):
        errors["done_on"] = "Enter the date as a real date, like 27 3 2027"
    if values["status"] not in STATUSES:
        errors["status"] = "Select the action's status"
    if len(values["outcome"]) > MAX_TEXT:
        errors["outcome"] = f"The outcome must be {MAX_TEXT:,} characters or fewer"
    return errors


def review_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["verdict"] not in VERDICTS:
        errors["verdict"] = "Select whether the action was accepted or not delivered"
    elif values["verdict"] == "not_delivered" and not values["comment"]:
        errors["comment"] = "Say why the action was not delivered"
    if len(values["comment"]) > MAX_COMMENT:
        errors["comment"] = f"The comment must be {MAX_COMMENT:,} characters or fewer"
    return errors


def moved(order: list[str], priority_id: str, direction: str) -> list[str] | None:
    """The order with one priority moved a place up or down (None when it cannot move)."""
    if priority_id not in order or direction not in ("up", "down"):
        return None
    at = order.index(priority_id)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(order):
        return None
    changed = list(order)
    changed[at], changed[to] = changed[to], changed[at]
    return changed


def refusal_errors(
    status: int, kind: str, problems: tuple[tuple[str, str], ...], message: str, fallback: str
) -> dict[str, str]:
    """Engagement's refusal on the form's fields: its 422 field problems where the form has
    the field, a stale plan, a policy's no, else its own words on `fallback`."""
    if kind == "concurrency-conflict":
        return {fallback: STALE.replace("group", "plan")}
    if status in (403, 404):
        return {fallback: "You cannot do this. The service refused it"}
    errors: dict[str, str] = {}
    for field, text in problems:
        errors.setdefault(field or fallback, error_message(text))
    return errors or {fallback: error_message(message)}


def agency_name(agency: str, names: dict[str, str]) -> str:
    """Who recorded an action: the force's police, or the agency by name when the reader may
    know agencies' names (identity tells police and partners); otherwise "A partner agency"."""
    if agency == POLICE_AGENCY:
        return "Police"
    return names.get(agency, "A partner agency")


def described(plan: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """The plan's priorities in order with each action's words (agency, status, verdict)."""
    return [
        {
            **p,
            "category_words": CATEGORIES.get(p["category"], p["category"]),
            "actions": [
                {
                    **a,
                    "agency_words": agency_name(a["agency"], names),
                    "status_words": STATUSES.get(a["status"], a["status"]),
                    "status_tag": STATUS_TAGS.get(a["status"], ""),
                    "verdict_words": VERDICTS.get((a.get("review") or {}).get("verdict", ""), ""),
                }
                for a in p["actions"]
            ],
        }
        for p in plan["priorities"]
    ]
