"""Polls and ratings in the portal's forms: the compose form's optional poll (a question and
its options, one on each line), a recipient's answer and rating, checked here so the page can
say what is wrong beside the field; messaging checks them again and decides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_COMMENT = 1000


def poll_of_form(fields: Mapping[str, str]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The poll the sender composed (None if they left it blank) and the errors by field."""
    question = fields.get("poll_question", "").strip()
    options = [line.strip() for line in fields.get("poll_options", "").splitlines()]
    options = [o for o in options if o]
    if not question and not options:
        return None, {}
    errors = {}
    if not question:
        errors["poll_question"] = "Enter the poll's question, or remove its options"
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        errors["poll_options"] = (
            f"Give {MIN_OPTIONS} to {MAX_OPTIONS} options for the poll, one on each line"
        )
    if errors:
        return None, errors
    multiple = fields.get("poll_multiple") == "multiple"
    return {"question": question, "options": options, "multiple": multiple}, {}


def poll_problem_field(message: str) -> str:
    """Which compose field one of messaging's problems is about."""
    if message.startswith("poll question"):
        return "poll_question"
    if message.startswith(("a poll", "poll")):
        return "poll_options"
    return "body"


def choices_of_form(posted: Sequence[str], poll: Mapping[str, Any]) -> tuple[list[int], str]:
    """The positions a recipient chose, or an error to show on the poll's field."""
    count = len(poll["options"])
    chosen = sorted({int(v) for v in posted if v.isdigit() and int(v) < count})
    if not chosen:
        return [], "Choose " + ("at least one option" if poll["multiple"] else "an option")
    if len(chosen) > 1 and not poll["multiple"]:
        return [], "Choose one option"
    return chosen, ""


def answered_text(poll: Mapping[str, Any]) -> str:
    """'You answered Monday.' / 'You answered Speeding and Burglary.'"""
    chosen = [poll["options"][i] for i in poll["answer"] if 0 <= i < len(poll["options"])]
    if len(chosen) > 1:
        return f"You answered {', '.join(chosen[:-1])} and {chosen[-1]}."
    return f"You answered {chosen[0] if chosen else 'this poll'}."
