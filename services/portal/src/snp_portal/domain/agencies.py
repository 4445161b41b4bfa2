"""A force's partner agencies as its pages say them: each kind in words, and the messages
beside the name field when identity refuses one. Pure: identity's answers in, words out."""

from __future__ import annotations

from typing import Any

# Identity's agency kinds (domain/agencies.py AGENCY_KINDS), as people say them.
KIND_NAMES = {
    "council": "Council",
    "housing": "Housing",
    "fire": "Fire and rescue",
    "health": "Health",
    "other": "Other",
}


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.capitalize())


def active(agencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The agencies a new partner can act for (a retired one takes no new partners)."""
    return [a for a in agencies if a["status"] == "active"]


def form_errors(problems: tuple[tuple[str, str], ...], taken: bool, detail: str) -> dict[str, str]:
    """Identity's refusal of a name or kind, beside the field it is about."""
    if taken:
        return {"name": detail}
    errors: dict[str, str] = {}
    for _field, message in problems:
        key = "kind" if "kind of agency" in message else "name"
        errors.setdefault(key, message.split(":")[0])
    return errors or {"name": detail}
