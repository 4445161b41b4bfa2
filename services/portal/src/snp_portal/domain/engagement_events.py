"""Engagement events as the pages say them: kinds in words, an event's time in Europe/London
("Tuesday 8 December 2026, 6pm to 7:30pm"), its place, the create form's own checks and the
body engagement takes, and engagement's refusals on the form's fields. Pure: answers in, words
out. Engagement checks everything again; these checks only spare a round trip and say it kindly."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from snp_portal.domain.refusals import error_message
from snp_portal.domain.wards import codes_typed, ward_words

LONDON = ZoneInfo("Europe/London")
KINDS = {
    "safety_surgery": "Safety surgery",
    "walkabout": "Walkabout",
    "womens_safety_walk": "Women's safety walk",
    "engagement_day": "Engagement day",
    "panel_meeting": "Panel meeting",
}
PANEL_MEETING = "panel_meeting"
# Police and partners run every kind but a panel meeting, which a panel's officers call.
AGENCY_KINDS = {k: v for k, v in KINDS.items() if k != PANEL_MEETING}
TO_BE_CONFIRMED = "Location to be confirmed"

# Engagement's limits (services/engagement/.../events_schemas.py), said before it is asked.
MAX_TITLE, MAX_DESCRIPTION, MAX_PLACE, MAX_NAME, MAX_REASON = 200, 4000, 500, 200, 1000
MAX_WARDS = 20
MAX_LENGTH = timedelta(days=7)  # an event lasts at most a week
_WARD = re.compile(r"^[A-Za-z0-9]{1,16}$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def london_time(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def clock(moment: datetime) -> str:
    """`18:00` as `6pm`, `19:30` as `7:30pm`; midday and midnight by name (GOV.UK style)."""
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def when(starts_at: str, ends_at: str) -> str:
    """An event's time on London's clock: `Tuesday 8 December 2026, 6pm to 7:30pm`, or with
    both days when it ends on another one."""
    starts, ends = london_time(starts_at), london_time(ends_at)
    if starts.date() == ends.date():
        return f"{_day(starts)}, {clock(starts)} to {clock(ends)}"
    return f"{_day(starts)}, {clock(starts)} to {_day(ends)}, {clock(ends)}"


def place_words(place: dict[str, Any]) -> str:
    """Where it is: the place and its postcode, or "Location to be confirmed"."""
    if place.get("to_be_confirmed") and not place.get("text"):
        return TO_BE_CONFIRMED
    return ", ".join(p for p in (place.get("text") or "", place.get("postcode") or "") if p)


def was_moved(event: dict[str, Any]) -> bool:
    """Engagement counts each move and the cancelling in `sequence` (iCalendar's SEQUENCE)."""
    changes = int(event.get("sequence") or 0)
    return changes > (1 if event.get("status") == "cancelled" else 0)


def described(event: dict[str, Any], ward_names: dict[str, str] | None = None) -> dict[str, Any]:
    """An event as engagement answers it, with the words a page shows (its wards by name,
    with their codes, where `ward_names` knows them)."""
    return {
        **event,
        "ward_words": [ward_words(c, ward_names or {}) for c in event.get("ward_codes") or []],
        "moved": was_moved(event),
        "kind_words": KINDS.get(event["kind"], event["kind"]),
        "when_words": when(event["starts_at"], event["ends_at"]),
        "place_words": place_words(event["place"]) or TO_BE_CONFIRMED,
        "cancelled": event.get("status") == "cancelled",
    }


def upcoming(events: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The events still to finish, soonest first as engagement lists them (the public list
    holds those that are over too; a ward's page shows what residents can still go to)."""
    return [e for e in events if london_time(e["ends_at"]) > now.astimezone(LONDON)]


def parse_time(text: str) -> tuple[int, int] | None:
    """`18:30`, `6:30pm`, `6pm`, `6.30 p.m.` as (18, 30); None when it is not a time of day.
    A bare `6` is refused: morning or evening is not guessed."""
    found = _TIME.match(text.strip())
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2] or 0)
    half = (found[3] or "").replace(".", "").lower()
    if not half and found[2] is None:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def event_day(values: dict[str, str], prefix: str = "") -> date | None:
    """The date in the form's `day`, `month` and `year` (with `prefix`: `end_day` ...)."""
    day, month, year = (values.get(prefix + k, "").strip() for k in ("day", "month", "year"))
    if not (day.isdigit() and month.isdigit() and len(year) == 4 and year.isdigit()):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # 31 February, month 13
        return None


def end_day_given(values: dict[str, str]) -> bool:
    return any(values.get(f"end_{k}", "").strip() for k in ("day", "month", "year"))


def end_day(values: dict[str, str]) -> date | None:
    """The day the event ends: the end date when given (an engagement weekend), else the
    day it starts."""
    return event_day(values, "end_") if end_day_given(values) else event_day(values)


def ward_codes(text: str) -> list[str]:
    """The ward codes picked and typed (the form joins them with commas), each once."""
    return codes_typed(text)


def _text_errors(values: dict[str, str], errors: dict[str, str]) -> None:
    if not values["title"]:
        errors["title"] = "Enter the event's title"
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = f"The title must be {MAX_TITLE} characters or fewer"
    if len(values["description"]) > MAX_DESCRIPTION:
        errors["description"] = f"The description must be {MAX_DESCRIPTION:,} characters or fewer"
    if not values["organising_agency"]:
        errors["organising_agency"] = "Enter who organises the event, as residents should read it"
    elif len(values["organising_agency"]) > MAX_NAME:
        errors["organising_agency"] = f"The organiser must be {MAX_NAME} characters or fewer"
    if len(values["contact_role"]) > MAX_NAME:
        errors["contact_role"] = f"The contact role must be {MAX_NAME} characters or fewer"


def _wall_clock_span(start: datetime, end: datetime) -> timedelta:
    """How long on London's clock (what a poster says): a naive difference of wall times."""
    return end.replace(tzinfo=None) - start.replace(tzinfo=None)


def time_errors(values: dict[str, str], errors: dict[str, str]) -> None:
    """A real start date; an end date, when given, real and not before it; times of day with
    the end after the start, at most 7 days later (engagement's limit, on London's clock)."""
    first = event_day(values)
    if first is None:
        errors["event_day"] = "Enter the day of the event as a real date, like 8 12 2026"
    last = end_day(values)
    if last is None and end_day_given(values):
        errors["end_day"] = "Enter the end date as a real date, like 9 12 2026, or leave it blank"
    starts, ends = parse_time(values["start_time"]), parse_time(values["end_time"])
    if starts is None:
        errors["start_time"] = "Enter the start time, like 6pm or 18:00"
    if ends is None:
        errors["end_time"] = "Enter the end time, like 7:30pm or 19:30"
    if starts is None or ends is None:
        return
    if first is None or last is None:
        if not end_day_given(values) and ends <= starts:  # on one day, whichever it is
            errors["end_time"] = "The end time must be after the start time"
        return
    if last < first:
        errors["end_day"] = "The end date must be the same as or after the start date"
        return
    start, end = datetime.combine(first, time(*starts)), datetime.combine(last, time(*ends))
    if end <= start:
        errors["end_time"] = "The end time must be after the start time"
    elif _wall_clock_span(start, end) > MAX_LENGTH:
        errors["end_day"] = "An event lasts at most 7 days: choose an earlier end date"


def place_errors(values: dict[str, str], errors: dict[str, str]) -> None:
    if len(values["place"]) > MAX_PLACE:
        errors["place"] = f"The place must be {MAX_PLACE} characters or fewer"
    elif not values["place"] and values.get("to_be_confirmed") != "yes":
        errors["place"] = "Enter where the event is, or say the location is to be confirmed"
    if len(values["postcode"]) > 10:
        errors["postcode"] = "Enter a UK postcode, like NW1 1BD"


def event_errors(values: dict[str, str], kinds: dict[str, str]) -> dict[str, str]:
    """The create form's own checks (`kinds`: those this form offers)."""
    errors: dict[str, str] = {}
    if values["kind"] not in kinds:
        errors["kind"] = "Select the kind of event"
    _text_errors(values, errors)
    codes = ward_codes(values["wards"])
    if not codes and values["kind"] != PANEL_MEETING:  # a panel meeting is in its panel's ward
        errors["wards"] = "Select at least one ward, or enter a ward's code, like E05000137"
    elif len(codes) > MAX_WARDS or not all(_WARD.match(c) for c in codes):
        errors["wards"] = (
            f"Choose up to {MAX_WARDS} wards; a ward's code is letters and digits, like E05000137"
        )
    time_errors(values, errors)
    place_errors(values, errors)
    return errors


def wall_clock(day: date, hour_minute: tuple[int, int]) -> str:
    """London's wall-clock time as engagement takes it (`2026-12-08T18:00`): engagement
    refuses one the clocks skip or pass twice rather than guess."""
    return f"{day.isoformat()}T{hour_minute[0]:02d}:{hour_minute[1]:02d}"


def times_body(values: dict[str, str]) -> dict[str, str]:
    """`starts_at` and `ends_at` as engagement takes them, from a form `time_errors` passed
    (the end on the end date, else on the start's day)."""
    first, last = event_day(values), end_day(values)
    starts, ends = parse_time(values["start_time"]), parse_time(values["end_time"])
    assert first is not None and last is not None and starts is not None and ends is not None
    return {"starts_at": wall_clock(first, starts), "ends_at": wall_clock(last, ends)}


def event_body(values: dict[str, str], group_id: str = "") -> dict[str, Any]:
    """The body of `POST /engagement/events`, from a form `event_errors` passed."""
    body: dict[str, Any] = {
        "kind": values["kind"],
        "title": values["title"],
        "description": values["description"],
        "ward_codes": ward_codes(values["wards"]),
        **times_body(values),
        "place": {
            "text": values["place"],
            "postcode": values["postcode"],
            "to_be_confirmed": values.get("to_be_confirmed") == "yes",
        },
        "organising_agency": values["organising_agency"],
        "contact_role": values["contact_role"],
    }
    if group_id:
        body["group_id"] = group_id
    return body


# Engagement's 422 words name no field (its domain's messages); these words (at a word's
# start: "forward" is no ward) place them.
_FIELDS_BY_WORD = (
    # A hidden panel's name typed in a text (engagement's words, domain/panel_names.py): these
    # come first, as the refusal also says "ward panel".
    ("organiser names", "organising_agency"),
    ("title names", "title"),
    ("description names", "description"),
    ("place names", "place"),
    ("contact role names", "contact_role"),
    ("postcode", "postcode"),
    ("ward", "wards"),
    ("clocks", "start_time"),
    ("ends", "end_time"),
    ("days", "end_day"),
    ("the end", "end_time"),
    ("the start", "start_time"),
    ("to come", "event_day"),
    ("past", "event_day"),
    ("place", "place"),
    ("location", "place"),
    ("title", "title"),
    ("description", "description"),
    ("agency", "organising_agency"),
)


def refusal_errors(
    status: int, problems: tuple[tuple[str, str], ...], message: str
) -> dict[str, str]:
    """Engagement's refusal of a new event on the form: its 422 on the field it is about, a
    policy's no (403) on the kind, where the form says what the event is."""
    if status in (403, 404):
        return {"kind": "Your account cannot organise this kind of event here"}
    errors: dict[str, str] = {}
    for field, text in problems or (("", message),):
        said = f"{field} {text}".lower()
        name = next((f for word, f in _FIELDS_BY_WORD if re.search(rf"\b{word}", said)), "title")
        errors.setdefault(name, error_message(text))
    return errors


def cancel_refusal(status: int, message: str) -> str:
    """Engagement's refusal to cancel: only the organiser may; a finished event stays."""
    if status == 403:
        return "Only the event's organiser can cancel it"
    if status == 409:
        return "This event is over or already cancelled: it cannot be cancelled now"
    return error_message(message)
