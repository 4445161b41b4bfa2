"""What the police and partner ward-priority pages share: the staff member (police or partner,
with their second factor), the agency they act for, the force's agencies by name, and the
panel's name as membership shows it to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from snp_portal.adapters.api import Refusal
from snp_portal.domain.ward_priorities import POLICE_AGENCY
from snp_portal.domain.wards import ward_words
from snp_portal.entrypoints.force_wards import public_panel_wards
from snp_portal.entrypoints.pages import force_shown
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis

AGENCY_STAFF = frozenset({"police", "partner"})


@dataclass(frozen=True)
class AgencyStaff:
    staff: Staff
    agency: str  # "police" for the force's officers, else the partner's agency id
    agency_names: dict[str, str]
    force: str

    @property
    def token(self) -> str:
        return self.staff.token


def agency_staff(request: Request) -> AgencyStaff:
    staff = signed_in_staff(request, AGENCY_STAFF)
    identity = apis(request).identity
    agency = POLICE_AGENCY
    if staff.claims.kind == "partner":
        agency = str(identity.get("/me", staff.token).get("agency_id") or "")
    try:  # police and partners may read the force's agencies; names only make the page kinder
        listed = identity.get("/agencies", staff.token)["agencies"]
    except Refusal:
        listed = []
    names = {str(a["agency_id"]): str(a["name"]) for a in listed}
    force = force_shown(request)
    return AgencyStaff(staff, agency, names, force.display_name if force else "")


def panel_named(
    request: Request, who: AgencyStaff, group_id: str, ward_code: str = ""
) -> dict[str, Any]:
    """The panel as membership shows it: police see every group; a partner sees a public
    panel's public page, and a hidden panel only as "The ward panel" of its ward (`ward_code`,
    engagement's; named when a visible group names the ward, else by its code): partners never
    read membership (invariant 11), so never learn a hidden panel's name."""
    membership = apis(request).membership
    try:
        if who.staff.claims.kind == "police":
            found: dict[str, Any] = membership.get(f"/groups/{group_id}", who.token)
        else:
            found = membership.get(f"/public/{who.staff.claims.tenant}/groups/{group_id}")
        return found
    except Refusal:
        return {
            "group_id": group_id,
            "name": "The ward panel",
            "ward_name": _ward(request, who, ward_code),
        }


def _ward(request: Request, who: AgencyStaff, ward_code: str) -> str:
    if not ward_code:
        return ""
    try:
        return ward_words(ward_code, public_panel_wards(request, who.staff.claims.tenant))
    except Refusal:  # a force with no visible group: the code alone
        return ward_code
