"""Engagement's REST API as the ward-priority pages call it (docs/engagement.md): a panel's plan
for a period, its officers' changes, police and partners' actions, the panel's reviews, the
members' vote, and the ward's public page. Every call carries the signed-in user's token (the
public page none); engagement and OPA decide, and a refusal comes back as `Refusal` for the
page to word."""

from __future__ import annotations

from typing import Any

from snp_portal.adapters.api import ApiClient


class EngagementApi:
    def __init__(self, client: ApiClient, token: str) -> None:
        self._api, self._token = client, token

    def plan(self, group_id: str, period: str) -> dict[str, Any]:
        """`period`, `published_at` and `priorities` in order, each with `actions` (and each
        action its `review`)."""
        found: dict[str, Any] = self._api.get(f"/panels/{group_id}/periods/{period}", self._token)
        return found

    def add_priority(self, group_id: str, period: str, fields: dict[str, str]) -> str:
        answer = self._api.post(
            f"/panels/{group_id}/periods/{period}/priorities", self._token, json=fields
        )
        return str(answer.json()["priority_id"])

    def edit_priority(self, priority_id: str, fields: dict[str, str]) -> None:
        self._api.put(f"/priorities/{priority_id}", self._token, json=fields)

    def retire_priority(self, priority_id: str) -> None:
        self._api.delete(f"/priorities/{priority_id}", self._token)

    def reorder(self, group_id: str, period: str, priority_ids: list[str]) -> None:
        self._api.put(
            f"/panels/{group_id}/periods/{period}/order",
            self._token,
            json={"priority_ids": priority_ids},
        )

    def publish(self, group_id: str, period: str) -> None:
        self._api.post(f"/panels/{group_id}/periods/{period}/publish", self._token)

    def record_action(self, priority_id: str, fields: dict[str, str]) -> str:
        answer = self._api.post(f"/priorities/{priority_id}/actions", self._token, json=fields)
        return str(answer.json()["action_id"])

    def update_action(self, action_id: str, fields: dict[str, str]) -> None:
        self._api.put(f"/actions/{action_id}", self._token, json=fields)

    def review(self, action_id: str, verdict: str, comment: str) -> None:
        self._api.put(
            f"/actions/{action_id}/review",
            self._token,
            json={"verdict": verdict, "comment": comment},
        )

    def ballot(self, group_id: str, period: str, *, with_counts: bool = False) -> dict[str, Any]:
        """The members' vote: `closed_at`, `my_vote` and `candidates`; with counts (officers
        only) each candidate's `votes` and the `voters`."""
        path = f"/panels/{group_id}/periods/{period}/ballot" + ("/results" if with_counts else "")
        found: dict[str, Any] = self._api.get(path, self._token)
        return found

    def propose(self, group_id: str, period: str, fields: dict[str, str]) -> str:
        answer = self._api.post(
            f"/panels/{group_id}/periods/{period}/ballot/candidates", self._token, json=fields
        )
        return str(answer.json()["candidate_id"])

    def vote(self, group_id: str, period: str, candidate_id: str) -> None:
        self._api.put(
            f"/panels/{group_id}/periods/{period}/ballot/vote",
            self._token,
            json={"candidate_id": candidate_id},
        )

    def close_vote(self, group_id: str, period: str) -> None:
        self._api.post(f"/panels/{group_id}/periods/{period}/ballot/close", self._token)

    def adopt(self, group_id: str, period: str, candidate_id: str) -> str:
        answer = self._api.post(
            f"/panels/{group_id}/periods/{period}/ballot/candidates/{candidate_id}/adopt",
            self._token,
        )
        return str(answer.json()["priority_id"])


def ward_priorities(client: ApiClient, tenant: str, ward_code: str) -> dict[str, Any]:
    """The ward's published periods, latest first (no token: what a panel published is
    public by its own act)."""
    found: dict[str, Any] = client.get(f"/public/{tenant}/wards/{ward_code}/priorities")
    return found
