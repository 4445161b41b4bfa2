"""The police list of the force's groups: its filters as the form offers them, read from the
query string into membership's query parameters, and what each group's row says. Pure: no I/O.
A value the form never offers is an error on its field (400), not passed on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from snp_portal.domain.groups import GROUP_TYPES

CHOICES: Mapping[str, Mapping[str, str]] = {
    "group_type": {"": "Any kind", **GROUP_TYPES},
    "status": {"": "Open or closed", "open": "Open", "closed": "Closed"},
    "visibility": {"": "Listed or hidden", "public": "Listed for the public", "hidden": "Hidden"},
    "approval": {
        "": "Any",
        "not_police": "Not approved by the police",
        "police": "Approved by the police",
        "area_coordinator": "Approved by the area coordinator",
        "both": "Approved by both",
        "none": "Not approved by either",
    },
}
FLAGS = {
    "needs_officer": "Needs an officer",
    "awaiting_police": "Waiting for police approval",
}
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]*$")
MAX_TEXT = 100
_ERRORS = {
    "group_type": "Select a kind of group from the list",
    "status": "Select open or closed from the list",
    "visibility": "Select listed or hidden from the list",
    "approval": "Select an approval state from the list",
}


@dataclass(frozen=True)
class GroupFilters:
    values: dict[str, str]  # as the form shows them back
    query: dict[str, str]  # as membership's `GET /groups` takes them
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.query)


def read_filters(raw: Mapping[str, str]) -> GroupFilters:
    values = {name: raw.get(name, "").strip() for name in ("q", "ward", *CHOICES)}
    errors: dict[str, str] = {}
    query: dict[str, str] = {}
    for name, label in (("q", "group name"), ("ward", "ward")):
        text = values[name]
        if len(text) > MAX_TEXT or not _PRINTABLE.match(text):
            errors[name] = f"The {label} must be {MAX_TEXT} characters or fewer, without symbols"
        elif text:
            query["q" if name == "q" else "ward_q"] = text
    for name, options in CHOICES.items():
        if values[name] not in options:
            errors[name] = _ERRORS[name]
        elif values[name]:
            query[name] = values[name]
    for name in FLAGS:
        ticked = raw.get(name, "") == "yes"
        values[name] = "yes" if ticked else ""
        if ticked:
            query[name] = "true"
    return GroupFilters(values, {} if errors else query, errors)


def page_query(filters: GroupFilters, cursor: str | None = None) -> dict[str, str]:
    """The list page's own query string for these filters (a next-page link keeps them)."""
    kept = {k: v for k, v in filters.values.items() if v}
    return {**kept, "cursor": cursor} if cursor else kept
