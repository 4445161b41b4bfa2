"""Engagement's events API as the event pages call it (docs/engagement.md, "Engagement
events"): a ward's public list and iCalendar feed (no token: events are public by their
organisers' act), one event for a signed-in account, scheduling, moving, its outcome and
cancelling, and a resident's registration. Engagement and OPA decide; a refusal comes back
as `Refusal`."""

from __future__ import annotations

from typing import Any

from snp_portal.adapters.api import ApiClient


def ward_events(client: ApiClient, tenant: str, ward_code: str) -> list[dict[str, Any]]:
    """The ward's events, upcoming first (soonest first), then those that are over."""
    found: dict[str, Any] = client.get(f"/public/{tenant}/wards/{ward_code}/events")
    return list(found["events"])


def ward_calendar(client: ApiClient, tenant: str, ward_code: str) -> bytes:
    """The ward's iCalendar feed, as engagement writes it."""
    return client.call("GET", f"/public/{tenant}/wards/{ward_code}/events.ics").content


class EventsApi:
    def __init__(self, client: ApiClient, token: str) -> None:
        self._api, self._token = client, token

    def event(self, event_id: str) -> dict[str, Any]:
        """The event as the public sees it, and `registered` (the caller's own interest)."""
        found: dict[str, Any] = self._api.get(f"/events/{event_id}", self._token)
        return found

    def mine(self) -> list[dict[str, Any]]:
        """The events the caller's agency or the caller organised (and a panel's officers'
        panel meetings), upcoming first, then those that are over."""
        found: dict[str, Any] = self._api.get("/events", self._token, params={"mine": "true"})
        return list(found["events"])

    def registered_count(self, event_id: str) -> int:
        """How many residents registered (police, the organiser; ids only, never names)."""
        return int(self._api.get(f"/events/{event_id}/registrations", self._token)["count"])

    def schedule(self, body: dict[str, Any]) -> str:
        answer = self._api.post("/events", self._token, json=body)
        return str(answer.json()["event_id"])

    def move(self, event_id: str, body: dict[str, Any]) -> None:
        """New times and place (`starts_at`, `ends_at`, `place`: all of them)."""
        self._api.post(f"/events/{event_id}/move", self._token, json=body)

    def record_outcome(self, event_id: str, body: dict[str, Any]) -> None:
        """The issues raised and the actions agreed, once the event has started; once."""
        self._api.put(f"/events/{event_id}/outcome", self._token, json=body)

    def linkable_priorities(self, event_id: str) -> list[dict[str, Any]]:
        """The live ward priorities in the event's wards (the organiser's), by ward and period."""
        found: dict[str, Any] = self._api.get(f"/events/{event_id}/priorities", self._token)
        return list(found["priorities"])

    def cancel(self, event_id: str, reason: str) -> None:
        self._api.post(f"/events/{event_id}/cancel", self._token, json={"reason": reason})

    def register(self, event_id: str) -> None:
        self._api.post(f"/events/{event_id}/registration", self._token)

    def withdraw(self, event_id: str) -> None:
        self._api.delete(f"/events/{event_id}/registration", self._token)
