"""What a message's sender and its team see of its feedback, on the group's delivery page and
on a police alert's page: messaging's ratings and poll results, and the poll's chart."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from snp_portal.adapters.api import Refusal
from snp_portal.domain.poll_chart import PollChart, poll_chart
from snp_portal.entrypoints.web import apis


def message_feedback(request: Request, token: str, message_id: str) -> dict[str, Any] | None:
    """The message's ratings and poll results, if messaging shows them to this reader (its
    sender and its team); None for anyone else, who sees the page without them."""
    try:
        found: dict[str, Any] = apis(request).messaging.get(
            f"/messages/{message_id}/feedback", token
        )
    except Refusal as refusal:
        if refusal.status in (403, 404):
            return None
        raise
    return found


def poll_results(feedback: dict[str, Any] | None) -> PollChart | None:
    poll = (feedback or {}).get("poll")
    return poll_chart(poll["options"], poll["answered"]) if poll else None
