"""Membership's REST API as the group pages call it, with the signed-in user's token. Every
change sends the group version the page was drawn from (`expected_version`), so a decision
made on a stale page is refused (409) rather than applied to a group that moved on."""

from __future__ import annotations

from typing import Any

from snp_portal.adapters.api import ApiClient


class MembershipApi:
    def __init__(self, client: ApiClient, token: str) -> None:
        self._api, self._token = client, token

    def own_groups(self) -> dict[str, Any]:
        """`account_id`, `groups` (each with the caller's `roles`) and `join_requests`."""
        found: dict[str, Any] = self._api.get("/me/groups", self._token)
        return found

    def group(self, group_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._api.get(f"/groups/{group_id}", self._token)
        return found

    def officers(self, group_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._api.get(f"/groups/{group_id}/officers", self._token)[
            "officers"
        ]
        return found

    def members(self, group_id: str, cursor: str | None = None, limit: int = 100) -> dict[str, Any]:
        """One page: `members` and `next_cursor` (a Refusal when the group keeps it closed)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        found: dict[str, Any] = self._api.get(
            f"/groups/{group_id}/members", self._token, params=params
        )
        return found

    def join_requests(self, group_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._api.get(
            f"/groups/{group_id}/join-requests", self._token
        )["requests"]
        return found

    def decide(self, group_id: str, request_id: str, admit: bool, version: int | None) -> None:
        verb = "admit" if admit else "reject"
        self._api.post(
            f"/groups/{group_id}/join-requests/{request_id}/{verb}",
            self._token,
            json=_versioned({}, version),
        )

    def end_membership(self, group_id: str, account_id: str, version: int | None) -> None:
        """Leave (one's own id) or remove a member (an officer)."""
        self._api.delete(
            f"/groups/{group_id}/members/{account_id}",
            self._token,
            params=_versioned({}, version),
        )

    def appoint(self, group_id: str, role: str, account_id: str, version: int | None) -> int:
        answer = self._api.put(
            f"/groups/{group_id}/officers/{role}",
            self._token,
            json=_versioned({"account_id": account_id}, version),
        )
        return int(answer.json()["version"])

    def stand_down(self, group_id: str, role: str, account_id: str, version: int | None) -> None:
        self._api.delete(
            f"/groups/{group_id}/officers/{role}/{account_id}",
            self._token,
            params=_versioned({}, version),
        )

    def update(self, group_id: str, changes: dict[str, Any], version: int | None) -> None:
        self._api.patch(f"/groups/{group_id}", self._token, json=_versioned(changes, version))


def _versioned(body: dict[str, Any], version: int | None) -> dict[str, Any]:
    return {**body, "expected_version": version} if version is not None else body
