"""The engagement domain's errors and the vocabularies its commands accept."""

from __future__ import annotations

import re

CATEGORIES = frozenset({"asb", "drugs", "burglary", "vehicle_crime", "road_safety", "other"})
STATUSES = frozenset({"planned", "in_progress", "done", "not_possible"})
VERDICTS = frozenset({"accepted", "not_delivered"})
_PERIOD = re.compile(r"^20[0-9]{2}-Q[1-4]$")


class InvalidInput(ValueError):
    """The command is malformed (422); nothing was recorded."""


class RuleBroken(ValueError):
    """The command conflicts with what has happened (409); nothing was recorded."""


class UnknownPriority(LookupError):
    """No such live priority in this plan (answered as any unknown id, 404)."""


def checked_period(period: str) -> str:
    """A quarter such as `2027-Q1`: the periods a panel sets priorities for."""
    if not _PERIOD.match(period):
        raise InvalidInput("a period is a quarter such as 2027-Q1")
    return period


def checked_ward_panel(group_type: str) -> None:
    """Priorities belong to ward panels: watch and community groups have none."""
    if group_type != "ward_panel":
        raise InvalidInput("priorities are set by ward panels only; this group is not one")


def checked_one_of(value: str, allowed: frozenset[str], what: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{what} must be one of: {', '.join(sorted(allowed))}")
    return value
