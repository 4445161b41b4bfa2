"""Residents' reports as the pages say them: the steps of "what happens next" in words, the
report form's own checks (what a person must fill in, engagement's limits, a real time that
has passed), and the form turned into engagement's body. Pure: values in, words out."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from snp_portal.domain import dates
from snp_portal.domain.dates import UK
from snp_portal.domain.ward_priorities import CATEGORIES, action_date

STEPS = {
    "received": "Received",
    "passed": "Passed to an agency",
    "action_taken": "Action taken",
    "closed": "Closed",
}
STEP_TAGS = {
    "received": "govuk-tag--grey",
    "passed": "govuk-tag--blue",
    "action_taken": "govuk-tag--green",
    "closed": "govuk-tag--purple",
}
# What police or the agency may move a report to (engagement's StatusIn).
UPDATES = {"action_taken": "Action taken", "closed": "Closed"}
WAYS = {"named": "With my name", "anonymous": "Anonymously"}

# Engagement's limits (services/engagement/.../reports_schemas.py): said before it is asked.
MAX_WHAT, MAX_WHERE, MAX_NOTE = 4000, 1000, 2000
PHOTO_TYPES = {"image/jpeg", "image/png"}
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
_REFERENCE = re.compile(r"^[A-Za-z0-9\-]{1,32}$")


def step_words(step: dict[str, Any]) -> str:
    """A step as the resident reads it: "Passed to Elm Council ASB team"."""
    if step["status"] == "passed" and step.get("agency_name"):
        return f"Passed to {step['agency_name']}"
    return STEPS.get(step["status"], str(step["status"]))


def time_given(values: dict[str, str]) -> bool:
    return bool(values.get("time"))


def happened_at(values: dict[str, str]) -> datetime | None:
    """The day (and time, if given: else midday, which engagement is told stands for the
    day only) in UK time, or None when it is no date."""
    day = action_date(values)
    if not day:
        return None
    at = time(12, 0)
    if values.get("time"):
        matched = _TIME.match(values["time"])
        if matched is None:
            return None
        at = time(int(matched[1]), int(matched[2]))
    return datetime.combine(datetime.fromisoformat(day).date(), at, tzinfo=UK)


def _text_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, empty, limit, what in (
        ("what", "Enter what happened", MAX_WHAT, "What happened"),
        ("where", "Enter where it happened", MAX_WHERE, "Where it happened"),
    ):
        if not values[field]:
            errors[field] = empty
        elif len(values[field]) > limit:
            errors[field] = f"{what} must be {limit:,} characters or fewer"
    if values["postcode"] and not _POSTCODE.match(values["postcode"].upper()):
        errors["postcode"] = "Enter a real postcode, like WC1N 3LS, or leave it empty"
    return errors


def report_errors(values: dict[str, str], wards: set[str], now: datetime) -> dict[str, str]:
    """The form's errors, in the order of its fields (the error summary's order)."""
    errors: dict[str, str] = {}
    if values["ward"] not in wards:
        errors["ward"] = "Select the ward where it happened"
    if values["category"] not in CATEGORIES:
        errors["category"] = "Select what kind of problem it is"
    errors |= _text_errors(values)
    when = happened_at(values)
    if when is None:
        errors["when"] = "Enter the date as a real date, like 27 3 2027, and the time like 21:30"
    elif when > now:
        errors["when"] = "The date must be today or in the past"
    if values["way"] not in WAYS:
        errors["way"] = "Select whether to send it with your name or anonymously"
    return errors


def report_body(values: dict[str, str], photo_base64: str | None) -> dict[str, Any]:
    """Engagement's body for a checked form."""
    when = happened_at(values)
    assert when is not None  # report_errors said so
    body: dict[str, Any] = {
        "ward_code": values["ward"],
        "category": values["category"],
        "what": values["what"],
        "where": values["where"],
        "happened_at": when.isoformat(),
        "time_known": time_given(values),
    }
    if values["postcode"]:
        body["postcode"] = values["postcode"].upper()
    if photo_base64 is not None:
        body["photo_base64"] = photo_base64
    return body


def when_words(report: dict[str, Any]) -> str:
    """When it happened: `27 March 2027 at 9:30pm`, or `27 March 2027 (time not given)` when
    the resident gave the day only (never a made-up midday)."""
    if report.get("time_known", True) is False:
        return f"{dates.day(report['happened_at'])} (time not given)"
    return dates.day_and_time(report["happened_at"])


def follow_errors(reference: str, secret: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _REFERENCE.match(reference):
        errors["reference"] = "Enter the reference, like SNR-AB12-CD34-EF56"
    if not secret or len(secret) > 64:
        errors["secret"] = "Enter the secret you were given with the reference"  # noqa: S105
    return errors


def step_errors(
    values: dict[str, str], choices: dict[str, str], field: str, choose: str, note: str
) -> dict[str, str]:
    """A pass or status form: one of `choices` in `field` (else `choose`), and in `note` a
    note for the person who reported it."""
    errors: dict[str, str] = {}
    if values[field] not in choices:
        errors[field] = choose
    if not values[note]:
        errors[note] = "Enter a note for the person who reported it"
    elif len(values[note]) > MAX_NOTE:
        errors[note] = f"The note must be {MAX_NOTE:,} characters or fewer"
    return errors
