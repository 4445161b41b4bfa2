"""An organiser's changes to an event after it is arranged, as the pages say them: moving it
(a new day, times and place; the form starts from the event as it is, in London time) and
recording what happened (the issues raised and the actions agreed, one a line). The forms'
own checks come before engagement is asked, which checks everything again. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
OUTCOME_FIELDS = ("issues_raised", "actions_agreed")
MAX_ITEMS, MAX_ITEM = 20, 1000  # engagement's limits: 20 of each, 1,000 characters each


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


def outcome_errors(values: dict[str, str]) -> dict[str, str]:
    """At least one issue or action; up to 20 of each, each up to 1,000 characters."""
    errors: dict[str, str] = {}
    for field, what in (("issues_raised", "issues"), ("actions_agreed", "actions")):
        items = lines(values[field])
        if len(items) > MAX_ITEMS:
            errors[field] = f"Enter up to {MAX_ITEMS} {what}, one on each line"
        elif any(len(item) > MAX_ITEM for item in items):
            errors[field] = f"Each of the {what} must be {MAX_ITEM:,} characters or fewer"
    if not errors and not lines(values["issues_raised"]) and not lines(values["actions_agreed"]):
        errors["issues_raised"] = "Enter an issue residents raised or an action that was agreed"
    return errors


def outcome_body(values: dict[str, str]) -> dict[str, Any]:
    """The body of `PUT /engagement/events/{id}/outcome` (no ward priority is named)."""
    return {
        "issues_raised": lines(values["issues_raised"]),
        "actions_agreed": [{"description": a} for a in lines(values["actions_agreed"])],
    }


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
