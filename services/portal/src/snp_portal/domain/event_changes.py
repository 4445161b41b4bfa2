"""An organiser's changes to an event after it is arranged, as the pages say them: moving it
(a new day, times and place; the form starts from the event as it is, in London time) and
recording what happened (the issues raised and the actions agreed, one a line). The forms'
own checks come before engagement is asked, which checks everything again. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from snp_portal.domain import periods
from snp_portal.domain.engagement_events import (
    LONDON,
    event_day,
    london_time,
    parse_time,
    place_errors,
    time_errors,
    times_body,
)
from snp_portal.domain.refusals import error_message

MOVE_FIELDS = (
    "day", "month", "year", "start_time", "end_day", "end_month", "end_year", "end_time",
    "place", "postcode", "to_be_confirmed",
)  # fmt: skip
OUTCOME_FIELDS = ("issues_raised", "actions_agreed", "attendance")
MAX_ITEMS, MAX_ITEM = 20, 1000  # engagement's limits: 20 of each, 1,000 characters each
MAX_ATTENDANCE = 100_000


def move_values(event: dict[str, Any]) -> dict[str, str]:
    """The move form as the event is now: its day and times on London's clock, its place."""
    starts, ends = london_time(event["starts_at"]), london_time(event["ends_at"])
    place = event.get("place") or {}
    # The end date only when it is another day: a move to a new day then moves the end too.
    later = ends.date() != starts.date()
    return {
        "day": str(starts.day),
        "month": str(starts.month),
        "year": str(starts.year),
        "start_time": f"{starts:%H:%M}",
        "end_day": str(ends.day) if later else "",
        "end_month": str(ends.month) if later else "",
        "end_year": str(ends.year) if later else "",
        "end_time": f"{ends:%H:%M}",
        "place": place.get("text") or "",
        "postcode": place.get("postcode") or "",
        "to_be_confirmed": "yes" if place.get("to_be_confirmed") else "",
    }


def move_errors(values: dict[str, str], now: datetime) -> dict[str, str]:
    """A real day (and end day), times with the end after the start (within a week), a start
    still to come (an event is moved to a time residents can still go to), and a place or "to
    be confirmed"."""
    errors: dict[str, str] = {}
    time_errors(values, errors)
    day, starts = event_day(values), parse_time(values["start_time"])
    if not errors and day is not None and starts is not None:
        moment = datetime(day.year, day.month, day.day, *starts, tzinfo=LONDON)
        if moment <= now.astimezone(LONDON):
            errors["event_day"] = "The new date and start time must be in the future"
    place_errors(values, errors)
    return errors


def move_body(values: dict[str, str]) -> dict[str, Any]:
    """The body of `POST /engagement/events/{id}/move`, from a form `move_errors` passed."""
    return {
        **times_body(values),
        "place": {
            "text": values["place"],
            "postcode": values["postcode"],
            "to_be_confirmed": values.get("to_be_confirmed") == "yes",
        },
    }


def lines(text: str) -> list[str]:
    """A box's lines that say something, each trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def priority_field(priority: dict[str, Any]) -> str:
    """The box for the actions agreed for one ward priority."""
    return f"actions_for_{priority['priority_id']}"


def period_words(priority: dict[str, Any]) -> str:
    """The priority's quarter in words (`2027-Q2` as the quarter's words)."""
    quarter = periods.parse(str(priority.get("period") or ""))
    return quarter.words if quarter else str(priority.get("period") or "")


def outcome_fields(priorities: list[dict[str, Any]]) -> tuple[str, ...]:
    return OUTCOME_FIELDS + tuple(priority_field(p) for p in priorities)


def _agreed(values: dict[str, str], priorities: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Every action agreed, `(field, description)`, those for no priority first."""
    fields = ["actions_agreed", *(priority_field(p) for p in priorities)]
    return [(f, line) for f in fields for line in lines(values.get(f, ""))]


def outcome_errors(
    values: dict[str, str], priorities: list[dict[str, Any]] | None = None
) -> dict[str, str]:
    """At least one issue or action; up to 20 issues and 20 actions (all the boxes of actions
    together), each up to 1,000 characters; an attendance, if given, a whole number."""
    errors: dict[str, str] = {}
    issues, agreed = lines(values["issues_raised"]), _agreed(values, priorities or [])
    if len(issues) > MAX_ITEMS:
        errors["issues_raised"] = f"Enter up to {MAX_ITEMS} issues, one on each line"
    elif any(len(item) > MAX_ITEM for item in issues):
        errors["issues_raised"] = f"Each of the issues must be {MAX_ITEM:,} characters or fewer"
    if len(agreed) > MAX_ITEMS:
        errors["actions_agreed"] = f"Enter up to {MAX_ITEMS} actions in all, one on each line"
    for field, item in agreed:
        if len(item) > MAX_ITEM:
            errors.setdefault(
                field, f"Each of the actions must be {MAX_ITEM:,} characters or fewer"
            )
    count = values.get("attendance", "")
    if count and not (count.isdigit() and int(count) <= MAX_ATTENDANCE):
        errors["attendance"] = (
            "Enter how many people came as a whole number, like 25, or leave it blank"
        )
    if not errors and not issues and not agreed:
        errors["issues_raised"] = "Enter an issue residents raised or an action that was agreed"
    return errors


def outcome_body(
    values: dict[str, str], priorities: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The body of `PUT /engagement/events/{id}/outcome`: each action with the ward priority
    its box is for, and the attendance when given."""
    ids = {priority_field(p): str(p["priority_id"]) for p in priorities or []}
    body: dict[str, Any] = {
        "issues_raised": lines(values["issues_raised"]),
        "actions_agreed": [
            {"description": item, **({"priority_id": ids[f]} if f in ids else {})}
            for f, item in _agreed(values, priorities or [])
        ],
    }
    if values.get("attendance"):
        body["attendance"] = int(values["attendance"])
    return body


def change_refusal(status: int, message: str, doing: str) -> str:
    """Engagement's refusal of a move or an outcome (`doing`: "move it", "record what
    happened"): only the organiser may; a cancelled or finished event, or an outcome already
    recorded or too early, is its 409 in words."""
    if status == 403:
        return f"Only the event's organiser can {doing}"
    if status == 409:
        said = message.lower()
        if "already recorded" in said:
            return "What happened at this event is already recorded"
        if "taken place" in said:
            return "You can record what happened once the event has started"
        if "cancelled" in said:
            return f"This event is cancelled: you cannot {doing}"
        return f"This event is over: you cannot {doing}"
    return error_message(message)
