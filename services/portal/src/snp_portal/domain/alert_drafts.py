"""A police alert's draft as the "Send an alert" form has it: what the officer chose, checked
before messaging is asked (which checks it again, and decides), and messaging's problems said
for the form's fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snp_portal.domain.message_feedback import poll_of_form

AUDIENCES = {
    "ward": "A ward",
    "group": "A group in the force",
    "tenant": "The whole force",
}
TYPES = {
    "alert": "Alert",
    "crime_update": "Crime update",
    "appeal": "Appeal for information",
    "event": "Event",
    "ward_panel_business": "Ward panel business",
    "general": "General information",
}
PRIORITIES = {
    "low": "Low",
    "normal": "Normal",
    "high": "High",
    "urgent": "Urgent",
}
PRIORITY_HINTS = {
    "high": "The subject starts [HIGH]",
    "urgent": "The subject starts [URGENT]",
}
FIELDS = ("audience", "group_id", "ward_code", "type", "priority", "subject", "body")
POLL_FIELDS = ("poll_question", "poll_options", "poll_multiple")
REPLY_FIELDS = ("anonymous_replies",)  # "yes": recipients may reply anonymously


@dataclass(frozen=True)
class AlertDraft:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    # Uploaded already (messaging holds it for the officer's next message): id and file name.
    attachment: dict[str, Any] | None = None
    audience_label: str = ""  # how the check page names the audience ("Ward: Holborn")

    def message(self) -> dict[str, Any]:
        """The body messaging's preview and send take."""
        audience: dict[str, str] = {"type": self.values["audience"]}
        if self.values["audience"] == "group":
            audience["id"] = self.values["group_id"]
        elif self.values["audience"] == "ward":
            audience["id"] = self.values["ward_code"]
        return {
            "subject": self.values["subject"],
            "body": self.values["body"],
            "type": self.values["type"],
            "priority": self.values["priority"],
            "audience": audience,
            "attachment_ids": [self.attachment["id"]] if self.attachment else [],
            **({"poll": poll} if (poll := poll_of_form(self.values)[0]) else {}),
            **({"anonymous_replies": True} if self.anonymous_replies else {}),
        }

    @property
    def anonymous_replies(self) -> bool:
        return self.values.get("anonymous_replies") == "yes"

    def held(self) -> dict[str, Any]:
        """As the session holds it between the form, the check page and the send."""
        return {
            "values": self.values,
            "attachment": self.attachment,
            "audience_label": self.audience_label,
        }


def from_held(held: Mapping[str, Any]) -> AlertDraft:
    return AlertDraft(
        dict(held["values"]), {}, held.get("attachment"), str(held.get("audience_label", ""))
    )


def audience_label(
    values: Mapping[str, str], groups: Mapping[str, str], wards: Mapping[str, str]
) -> str:
    """The audience as the officer chose it, by name (`groups` and `wards`: id -> name)."""
    if values["audience"] == "group":
        return f"Group: {groups.get(values['group_id'], values['group_id'])}"
    if values["audience"] == "ward":
        code = values["ward_code"]
        return f"Ward: {wards.get(code, code)} ({code})"
    return "The whole force"


def read_form(form: Mapping[str, str]) -> AlertDraft:
    """The form's fields, trimmed, with an error for each one missing or not offered."""
    values = {f: form.get(f, "").strip() for f in FIELDS + POLL_FIELDS + REPLY_FIELDS}
    values["body"] = form.get("body", "").strip()
    errors: dict[str, str] = dict(poll_of_form(values)[1])
    if values["audience"] not in AUDIENCES:
        errors["audience"] = "Select who the alert is for"
    elif values["audience"] == "group" and not values["group_id"]:
        errors["group_id"] = "Select the group"
    elif values["audience"] == "ward" and not values["ward_code"]:
        errors["ward_code"] = "Select the ward"
    errors.update(wording_errors(values))
    return AlertDraft(values, errors)


def wording_errors(values: Mapping[str, str]) -> dict[str, str]:
    """An error for each of the alert's words missing or not offered: its type, priority,
    subject and body (the draft form's and a waiting alert's edit form's)."""
    errors: dict[str, str] = {}
    if values["type"] not in TYPES:
        errors["type"] = "Select the type of alert"
    if values["priority"] not in PRIORITIES:
        errors["priority"] = "Select the priority"
    if not values["subject"]:
        errors["subject"] = "Enter a subject"
    if not values["body"]:
        errors["body"] = "Enter the alert"
    return errors


# Messaging's problems (snp_messaging.domain.messages, service_layer.sending) by their opening
# words, as the field and the sentence the form shows.
_PROBLEMS = (
    ("subject is longer", "subject", "The subject must be 200 characters or fewer"),
    ("subject must not", "subject", "Enter a subject"),
    ("body is longer", "body", "The alert must be 20,000 characters or fewer"),
    ("body must not", "body", "Enter the alert"),
    ("unknown audience: no group", "group_id", "Select a group in the force"),
    ("unknown audience: no ward", "ward_code", "Select a ward in the force"),
    ("unknown audience", "audience", "Select who the alert is for"),
    ("unknown attachment", "attachment", "Choose the file again: it was not kept"),
    ("poll question", "poll_question", "Check the poll's question: at most 300 characters"),
    ("a poll option is longer", "poll_options", "Each option must be 120 characters or fewer"),
    ("a poll option is listed twice", "poll_options", "Give each option once"),
    ("a poll has", "poll_options", "Give 2 to 10 options for the poll, one on each line"),
)
_API_FIELDS = {"subject": "subject", "body": "body", "type": "type", "priority": "priority"}


def problem_errors(problems: list[tuple[str, str]], fallback: str) -> dict[str, str]:
    """Messaging's (field, message) problems as the form's errors, one per field; `fallback`
    on the subject when none is recognised."""
    errors: dict[str, str] = {}
    for api_field, message in problems:
        for opening, form_field, text in _PROBLEMS:
            if message.startswith(opening):
                errors.setdefault(form_field, text)
                break
        else:
            name = _API_FIELDS.get(api_field.split(".")[0])
            if name:
                errors.setdefault(name, f"Check the {name.replace('_', ' ')}")
    return errors or {"subject": fallback}
