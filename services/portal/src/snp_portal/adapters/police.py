"""What the police admin panel asks of the services, with the officer's own token: the force's
groups by filter (membership's `GET /groups`, keyset-paged), a group's people and markings, the
police side of a marking, a ward panel's founding, and identity's staff lookup of a member by
exact email. The services and OPA decide each of these; the panel only asks."""

from __future__ import annotations

from typing import Any

from snp_portal.adapters.api import Apis, Refusal

PAGE_SIZE = 50
MEMBER_PAGE = 100


class PoliceApi:
    def __init__(self, apis: Apis, token: str) -> None:
        self._membership, self._identity, self._token = apis.membership, apis.identity, token

    def groups(self, filters: dict[str, str], cursor: str | None) -> dict[str, Any]:
        """One page of the force's groups matching `filters` (membership's query names), by
        name: `groups` and `next_cursor`."""
        params: dict[str, Any] = {**filters, "limit": PAGE_SIZE}
        if cursor:
            params["cursor"] = cursor
        found: dict[str, Any] = self._membership.get("/groups", self._token, params=params)
        return found

    def group(self, group_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._membership.get(f"/groups/{group_id}", self._token)
        return found

    def officers(self, group_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._membership.get(
            f"/groups/{group_id}/officers", self._token
        )["officers"]
        return found

    def members(self, group_id: str, cursor: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": MEMBER_PAGE, **({"cursor": cursor} if cursor else {})}
        found: dict[str, Any] = self._membership.get(
            f"/groups/{group_id}/members", self._token, params=params
        )
        return found

    def change_marking(
        self,
        group_id: str,
        subject: str,
        account_id: str | None,
        withdraw: bool,
        version: int | None,
    ) -> None:
        """The police side only: the other side's marking is never sent from here (and the
        policy refuses it from a police token anyway)."""
        marking: dict[str, Any] = {"group_id": group_id, "subject": subject, "side": "police"}
        if account_id:
            marking["account_id"] = account_id
        if version is not None:
            marking["expected_version"] = version
        if withdraw:
            self._membership.delete("/approvals", self._token, params=marking)
        else:
            self._membership.post("/approvals", self._token, json=marking)

    def member_by_email(self, email: str, for_panel: str = "") -> dict[str, str] | None:
        """`account_id` and `display_name` of the force's member account with exactly this
        email address, or None. Identity records each answer as a release of contact data,
        told to the member with the panel they are to chair."""
        try:
            answer = self._identity.post(
                "/staff/member-lookups",
                self._token,
                json={"email": email, "for_panel": for_panel},
            )
        except Refusal as refused:
            if refused.status == 404:
                return None
            raise
        found: dict[str, str] = answer.json()
        return found

    def found_ward_panel(self, panel: dict[str, str], first_chair: str) -> str:
        body = {**panel, "group_type": "ward_panel", "first_chair": first_chair}
        made = self._membership.post("/groups", self._token, json=body).json()
        return str(made["group_id"])
