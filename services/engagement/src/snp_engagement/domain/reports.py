"""A resident's report to their ward's police team, and what happens next.

received -> passed to <agency> -> action taken -> closed: police pass a report to a partner
agency (again, to another, while nothing has been done), and police or that agency move it on.
Each step is an event with a note for the resident. Who may take a step is the policy's
question; here are the rules every step keeps. Texts arrive sealed (`Sealed`): the domain never
sees a resident's words, only decides what is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.rules import CATEGORIES, InvalidInput, RuleBroken, checked_one_of

RECEIVED, PASSED, ACTION_TAKEN, CLOSED = "received", "passed", "action_taken", "closed"
# Where each status may go next; closed is the end.
_NEXT: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({PASSED, ACTION_TAKEN, CLOSED}),
    PASSED: frozenset({PASSED, ACTION_TAKEN, CLOSED}),
    ACTION_TAKEN: frozenset({CLOSED}),
    CLOSED: frozenset(),
}
UPDATES = frozenset({ACTION_TAKEN, CLOSED})  # what `change_status` records
POLICE_AGENCY = "police"  # the force itself: a report is passed to partners, never to it


@dataclass(frozen=True)
class Sealed:
    """The report's texts, each already sealed under the report's own key."""

    what: bytes
    where: bytes
    postcode: bytes


@dataclass(frozen=True)
class Filing:
    """What a resident files: the category, when it happened, and who (None: anonymous)."""

    report_id: str
    ward_code: str
    category: str
    happened_at: datetime
    reporter: str | None
    reference: str = ""
    secret_sha256: str = ""
    time_known: bool = True  # False: the resident gave the day only (happened_at at midday)


@dataclass
class Report:
    report_id: str
    ward_code: str
    reporter: str  # empty when anonymous
    status: str = RECEIVED
    agency_id: str = ""  # the partner agency it was last passed to


def evolve(report: Report | None, event: Message) -> Report | None:
    if isinstance(event, pb.ReportFiled):
        return Report(event.report_id, event.ward_code, event.reporter)
    if report is None:
        return None
    if isinstance(event, pb.ReportPassed):
        report.status, report.agency_id = PASSED, event.agency_id
    elif isinstance(event, pb.ReportStatusChanged):
        report.status = event.status
    return report


def fold(events: Iterable[Message]) -> Report | None:
    report: Report | None = None
    for event in events:
        report = evolve(report, event)
    return report


def file(
    filing: Filing, sealed: Sealed, now: datetime, photo: pb.ReportPhoto | None = None
) -> list[Message]:
    """A new report. Anonymous ones name no account and carry a reference and the hash of the
    secret to follow them with; named ones carry neither (the account follows its own)."""
    checked_one_of(filing.category, CATEGORIES, "category")
    if filing.happened_at.tzinfo is None:
        raise InvalidInput("say when it happened with a time zone (e.g. 2027-02-14T21:30Z)")
    if filing.happened_at > now:
        raise InvalidInput("a report is about something that has already happened")
    anonymous = filing.reporter is None
    if anonymous != bool(filing.reference and filing.secret_sha256):
        raise InvalidInput("an anonymous report has a reference and a secret; a named one not")
    return [
        pb.ReportFiled(
            report_id=filing.report_id,
            ward_code=filing.ward_code,
            category=filing.category,
            sealed_what=sealed.what,
            sealed_where=sealed.where,
            sealed_postcode=sealed.postcode,
            happened_at=filing.happened_at.isoformat(),
            reporter=filing.reporter or "",
            anonymous=anonymous,
            reference=filing.reference,
            secret_sha256=filing.secret_sha256,
            photo=photo,
            time_unknown=not filing.time_known,
        )
    ]


def _moves(report: Report, to: str) -> None:
    if to not in _NEXT[report.status]:
        raise RuleBroken(f"a report that is {report.status.replace('_', ' ')} cannot become {to}")


def pass_to(
    report: Report, agency_id: str, agency_name: str, note: bytes, by: str
) -> list[Message]:
    """Police pass the report to a partner agency (the one that may now read it)."""
    if not agency_id or agency_id == POLICE_AGENCY:
        raise InvalidInput("a report is passed to a partner agency of the force")
    _moves(report, PASSED)
    if report.agency_id == agency_id:
        return []  # passed there already: nothing new for the resident
    return [
        pb.ReportPassed(
            report_id=report.report_id,
            agency_id=agency_id,
            agency_name=agency_name,
            sealed_note=note,
            passed_by=by,
            reporter=report.reporter,
        )
    ]


def change_status(report: Report, status: str, note: bytes, by: str, agency: str) -> list[Message]:
    """Action taken, or closed: the resident's timeline says so, with the note."""
    checked_one_of(status, UPDATES, "status")
    _moves(report, status)
    return [
        pb.ReportStatusChanged(
            report_id=report.report_id,
            status=status,
            sealed_note=note,
            changed_by=by,
            agency=agency,
            reporter=report.reporter,
        )
    ]
