"""The force's wards by name, for the pages that offer or show a ward (reports, events): from
membership's groups, since there is no ward directory. Anyone gets the wards of the ward
panels the public may see; police, who may list every group of the force, get the hidden
panels' wards too. A ward missing here is still shown by its code."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from snp_portal.adapters.police import PoliceApi
from snp_portal.adapters.token_claims import claims_of
from snp_portal.domain.wards import panel_wards
from snp_portal.entrypoints.web import SignedIn, apis

_PAGES = 5  # membership lists 100 groups a page: 500 groups is more than any force has
_POLICE_PAGES = 10  # 50 a page: 500 ward panels


def public_panel_wards(request: Request, tenant: str) -> dict[str, str]:
    """Ward names by ward code, of the force's visible ward panels, in name order. Engagement
    takes a report or an event for a ward only when a ward panel covers it."""
    groups: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"limit": 100}
    for _ in range(_PAGES):
        found = apis(request).membership.get(f"/public/{tenant}/groups", params=params)
        groups.extend(found["groups"])
        if not found.get("next_cursor"):
            break
        params["cursor"] = found["next_cursor"]
    return panel_wards(groups)


def wards_for(request: Request, user: SignedIn) -> dict[str, str]:
    """The wards the user may know by name: every ward panel's for police, else the visible
    panels' (partners never read membership, invariant 11)."""
    if claims_of(user.token).kind != "police":
        return public_panel_wards(request, user.tenant)
    api, groups, cursor = PoliceApi(apis(request), user.token), [], None
    for _ in range(_POLICE_PAGES):
        page = api.groups({"group_type": "ward_panel"}, cursor)
        groups.extend(page["groups"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return panel_wards(groups)
