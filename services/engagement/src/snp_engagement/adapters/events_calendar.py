"""A ward's engagement events as an iCalendar feed (RFC 5545, built with `icalendar`) that
residents subscribe to: a calendar app polls it and updates what it already shows by UID."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from icalendar import Calendar, Event

PRODID = "-//Safer Neighbourhoods Platform//Engagement events//EN"
UID_DOMAIN = "engagement.safer-neighbourhoods"
TO_BE_CONFIRMED = "Location to be confirmed"


def event_uid(event_id: str) -> str:
    """Stable for the event's whole life: a move or a cancellation updates the same entry."""
    return f"{event_id}@{UID_DOMAIN}"


def location(row: dict[str, Any]) -> str:
    where = ", ".join(p for p in (row["place_text"], row["postcode"]) if p)
    if row["place_tbc"]:
        return f"{where} ({TO_BE_CONFIRMED.lower()})" if where else TO_BE_CONFIRMED
    return where


def _vevent(row: dict[str, Any]) -> Event:
    vevent = Event()
    vevent.add("uid", event_uid(row["event_id"]))
    # Times in UTC (a `Z` suffix): every calendar shows them in the reader's own zone.
    vevent.add("dtstamp", row["changed_at"].astimezone(UTC))
    vevent.add("last-modified", row["changed_at"].astimezone(UTC))
    vevent.add("dtstart", row["starts_at"].astimezone(UTC))
    vevent.add("dtend", row["ends_at"].astimezone(UTC))
    vevent.add("summary", row["title"])
    about = [row["description"], f"Organised by {row['organising_agency']}"]
    if row["contact_role"]:
        about.append(f"Contact: {row['contact_role']}")
    vevent.add("description", "\n\n".join(a for a in about if a))
    vevent.add("location", location(row))
    vevent.add("categories", [row["kind"].replace("_", " ")])
    # SEQUENCE counts the revisions that matter to attendees (moves, a cancellation).
    vevent.add("sequence", row["sequence"])
    vevent.add("status", "CANCELLED" if row["status"] == "cancelled" else "CONFIRMED")
    return vevent


def ward_calendar(name: str, rows: Iterable[dict[str, Any]]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for row in rows:
        calendar.add_component(_vevent(row))
    return bytes(calendar.to_ical())
