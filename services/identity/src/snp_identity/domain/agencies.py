"""The agency aggregate: a partner agency of a force (the council's ASB team, a housing
provider), registered by a tenant administrator; its partner accounts act for it.

Pure: commands take the agency's past events and return the events to record. A retired
agency keeps its history (actions and reports name it) but acts no more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb

AGENCY_KINDS = ("council", "housing", "fire", "health", "other")
MAX_NAME = 200


class AgencyRuleBroken(Exception):
    """A command the agency's state does not allow (409 at the edge)."""


class InvalidAgency(ValueError):
    """Bad input for an agency (422 at the edge); `problems` say what, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str = ""
    kind: str = ""
    retired: bool = False
    version: int = 0

    @property
    def exists(self) -> bool:
        return self.version > 0


def evolve(agency: Agency, event: Message) -> Agency:
    bumped = replace(agency, version=agency.version + 1)
    if isinstance(event, pb.AgencyRegistered):
        return replace(bumped, name=event.name, kind=event.kind)
    if isinstance(event, pb.AgencyRenamed):
        return replace(bumped, name=event.name)
    if isinstance(event, pb.AgencyRetired):
        return replace(bumped, retired=True)
    return bumped


def fold(agency_id: str, events: Iterable[Message]) -> Agency:
    agency = Agency(agency_id)
    for event in events:
        agency = evolve(agency, event)
    return agency


def clean_name(name: str) -> str:
    """The name as it is kept: inner runs of whitespace made one space; refused if empty,
    longer than MAX_NAME or holding control characters."""
    cleaned = " ".join(name.split())
    problems = []
    if not cleaned:
        problems.append("Enter the agency's name")
    elif len(cleaned) > MAX_NAME:
        problems.append(f"The agency's name must be {MAX_NAME} characters or fewer")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        problems.append("The agency's name must not hold control characters")
    if problems:
        raise InvalidAgency(problems)
    return cleaned


def register(agency: Agency, name: str, kind: str, by: str) -> list[Message]:
    problems = []
    try:
        name = clean_name(name)
    except InvalidAgency as bad:
        problems += bad.problems
    if kind not in AGENCY_KINDS:
        problems.append("Choose the kind of agency: " + ", ".join(AGENCY_KINDS))
    if problems:
        raise InvalidAgency(problems)
    if agency.exists:
        raise AgencyRuleBroken("the agency already exists")
    return [pb.AgencyRegistered(agency_id=agency.agency_id, name=name, kind=kind, registered_by=by)]


def rename(agency: Agency, name: str, by: str) -> list[Message]:
    name = clean_name(name)
    _require_active(agency)
    if name == agency.name:
        return []
    return [pb.AgencyRenamed(agency_id=agency.agency_id, name=name, renamed_by=by)]


def retire(agency: Agency, by: str, partner_account_ids: list[str]) -> list[Message]:
    _require_active(agency)
    return [
        pb.AgencyRetired(
            agency_id=agency.agency_id,
            retired_by=by,
            partner_account_ids=sorted(partner_account_ids),
        )
    ]


def _require_active(agency: Agency) -> None:
    if not agency.exists:
        raise AgencyRuleBroken("no such agency")
    if agency.retired:
        raise AgencyRuleBroken("the agency is retired")
