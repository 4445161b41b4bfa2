"""What a group's forms share: the group version a form was drawn from, ids read back from a
form or query string, the group's members as checkboxes, and a refusal as the form's error."""

from __future__ import annotations

import uuid
from typing import Any

from snp_portal.adapters.api import Refusal
from snp_portal.domain.refusals import refusal_words
from snp_portal.entrypoints.group_pages import GroupPage


def form_version(form: dict[str, str]) -> int | None:
    """The group version the form was drawn from (membership refuses it if the group moved on)."""
    raw = form.get("version", "")
    return int(raw) if raw.isdigit() else None


def as_uuid(raw: str | None) -> str | None:
    """An id from a query string or form, or None (banners only look ids up, never echo them)."""
    try:
        return str(uuid.UUID(raw or ""))
    except ValueError:
        return None


def refusal_errors(refusal: Refusal, anchor: str) -> dict[str, str]:
    """Membership's refusal as the error of the form at `anchor`."""
    return {anchor: refusal_words(refusal.kind, refusal.status, refusal.message)}


def members_by_name(page: GroupPage) -> list[dict[str, Any]]:
    """The group's members by name (membership asks identity's directory), for choosing a
    mailing list's members."""
    members = page.api.members(page.group_id, limit=500)["members"]
    return sorted(members, key=lambda m: (m.get("display_name") or "").lower())


def member_choices(members: list[dict[str, Any]], chosen: list[str]) -> list[dict[str, Any]]:
    """The group's members as checkbox items, those in `chosen` ticked."""
    return [
        {
            "value": m["account_id"],
            "text": m.get("display_name") or "Name not available",
            "checked": m["account_id"] in chosen,
        }
        for m in members
    ]
