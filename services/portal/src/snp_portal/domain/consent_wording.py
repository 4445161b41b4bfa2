"""A member's change of consent per information provider, in words for their disclosures
page: what they chose, about whom, when."""

from __future__ import annotations

from typing import Any

KINDS = {
    "police": "police",
    "council": "council",
    "housing": "housing",
    "fire": "fire and rescue",
    "health": "health",
    "neighbourhood_watch": "Neighbourhood Watch",
}


def consent_words(change: dict[str, Any]) -> dict[str, str]:
    """`{changed_at, words}`: "You turned on alerts from Camden Council ASB team (council)"."""
    provider = change["provider"]
    kind = KINDS.get(provider.get("kind", ""), "")
    named = f"{provider['name']} ({kind})" if kind else provider["name"]
    verb = "turned on" if change["on"] else "turned off"
    return {"changed_at": change["changed_at"], "words": f"You {verb} alerts from {named}"}
