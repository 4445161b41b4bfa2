"""The Neighbourhood Watch association's export: an area's watch groups with their
coordinators and both approval markings, as CSV or JSON rows. Pure: what is exported is
assembled by the service layer; this decides what each row says.

Contact details appear only for coordinators identity released them for (those who agreed to
share them with the association); everyone else's are empty, never guessed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from snp_membership.domain.model import SIDES

FORMATS = ("csv", "json")
# A spreadsheet runs a cell beginning with one of these as a formula (CSV injection, OWASP):
# a leading apostrophe makes it text. Tab and carriage return start formulas in some too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "group_id",
    "group_name",
    "ward_code",
    "ward_name",
    "group_status",
    "group_police_approved",
    "group_area_coordinator_approved",
    "officer_account_id",
    "officer_display_name",
    "officer_role",
    "officer_police_approved",
    "officer_area_coordinator_approved",
    "email",
    "phone",
)


@dataclass(frozen=True)
class ExportedOfficer:
    account_id: str
    display_name: str | None
    roles: tuple[str, ...]
    approvals: frozenset[str]  # the sides that marked them as a coordinator
    email: str | None = None  # only when identity released it (they agreed)
    phone: str | None = None


@dataclass(frozen=True)
class ExportedGroup:
    group_id: str
    name: str
    ward_code: str
    ward_name: str
    status: str
    approvals: frozenset[str]  # the sides that marked the group itself
    officers: tuple[ExportedOfficer, ...]


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _marks(sides: frozenset[str]) -> dict[str, bool]:
    return {side: side in sides for side in SIDES}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def as_csv(groups: Sequence[ExportedGroup]) -> str:
    """One row per coordinator (a group without one still has a row), header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for group in groups:
        marks = _marks(group.approvals)
        head = [
            group.group_id,
            group.name,
            group.ward_code,
            group.ward_name,
            group.status,
            _yes(marks["police"]),
            _yes(marks["area_coordinator"]),
        ]
        for officer in group.officers or (None,):
            writer.writerow([safe_cell(cell) for cell in head + _officer_cells(officer)])
    return out.getvalue()


def _officer_cells(officer: ExportedOfficer | None) -> list[str]:
    if officer is None:
        return [""] * 7
    marks = _marks(officer.approvals)
    return [
        officer.account_id,
        officer.display_name or "",
        " ".join(officer.roles),
        _yes(marks["police"]),
        _yes(marks["area_coordinator"]),
        officer.email or "",
        officer.phone or "",
    ]


def as_json(groups: Sequence[ExportedGroup]) -> list[dict[str, Any]]:
    return [
        {
            "group_id": g.group_id,
            "name": g.name,
            "ward_code": g.ward_code,
            "ward_name": g.ward_name,
            "status": g.status,
            "approvals": _marks(g.approvals),
            "officers": [
                {
                    "account_id": o.account_id,
                    "display_name": o.display_name,
                    "roles": list(o.roles),
                    "approvals": _marks(o.approvals),
                    "email": o.email,
                    "phone": o.phone,
                }
                for o in g.officers
            ],
        }
        for g in groups
    ]


def contacts_released(groups: Sequence[ExportedGroup]) -> int:
    """How many coordinators the export gives contact details for (counted once each)."""
    return len({o.account_id for g in groups for o in g.officers if o.email or o.phone})


def officers_listed(groups: Sequence[ExportedGroup]) -> int:
    return len({o.account_id for g in groups for o in g.officers})
