"""What a caller narrows a list of groups by: values only. Which of the matching groups the
caller may see at all is still the policy's answer, asked batch by batch."""

from __future__ import annotations

from dataclasses import dataclass

# A group's own approval marking, as the police list filters it.
APPROVAL_STATES = ("police", "area_coordinator", "both", "none", "not_police")


@dataclass(frozen=True)
class GroupFilter:
    tenant: str
    ward_code: str | None = None
    name_contains: str | None = None
    ward_search: str | None = None  # a ward's code or part of its name
    group_type: str | None = None
    status: str | None = None
    visibility: str | None = None
    approval: str | None = None  # one of APPROVAL_STATES
    needs_officer: bool | None = None
    # The group, or one of its chairs or coordinators, has no police-side marking yet.
    awaiting_police: bool | None = None
