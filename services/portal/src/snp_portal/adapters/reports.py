"""Engagement's REST API for residents' reports as the report pages call it (docs/engagement.md):
a named report and the resident's own list and timelines with their token; police and partners'
queue, report, photo, passing and status steps with theirs; and the anonymous routes with
**no token and no browser address at all**, whoever is signed in (invariant 12): what
engagement never receives it can never link to the report."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from snp_portal.adapters.api import ApiClient, browser_address

PAGE = 20  # reports a page of "Your reports" and of the ward team's lists


@contextmanager
def _unforwarded() -> Iterator[None]:
    """No X-Forwarded-For on the calls inside: a person's address could say who they are."""
    held = browser_address.set(None)
    try:
        yield
    finally:
        browser_address.reset(held)


def before_you_start(client: ApiClient) -> dict[str, Any]:
    """999, 101 and Crimestoppers, and what the steps mean (no token: anyone reads it)."""
    found: dict[str, Any] = client.get("/reports/before-you-start")
    return found


def file_anonymously(client: ApiClient, tenant: str, report: dict[str, Any]) -> dict[str, str]:
    """`reference` and `secret`, shown to the reporter once: sent with no token, ever."""
    with _unforwarded():
        answer = client.post(f"/public/{tenant}/reports", None, json=report)
    body = answer.json()
    return {"reference": str(body["reference"]), "secret": str(body["secret"])}


def follow_anonymously(client: ApiClient, tenant: str, reference: str, secret: str) -> Any:
    """The anonymous report's timeline; a wrong secret is the unknown reference's 404."""
    with _unforwarded():
        answer = client.post(
            f"/public/{tenant}/reports/follow",
            None,
            json={"reference": reference, "secret": secret},
        )
    return answer.json()


class ReportsApi:
    """The signed-in user's calls: engagement and OPA decide each one."""

    def __init__(self, client: ApiClient, token: str) -> None:
        self._api, self._token = client, token

    def file_named(self, report: dict[str, Any]) -> str:
        answer = self._api.post("/reports", self._token, json=report)
        return str(answer.json()["report_id"])

    def mine(self, cursor: str | None = None) -> dict[str, Any]:
        """A page of the user's named reports, latest first: `reports`, `next_cursor`."""
        params: dict[str, str | int] = {"limit": PAGE, **({"cursor": cursor} if cursor else {})}
        found: dict[str, Any] = self._api.get("/reports/mine", self._token, params=params)
        return found

    def what_happens_next(self, report_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._api.get(f"/reports/{report_id}/next", self._token)
        return found

    def queue(self, ward_code: str | None, cursor: str | None = None) -> dict[str, Any]:
        """A page of the reports the user may read (of one ward, if named), latest first."""
        params: dict[str, str | int] = {"limit": PAGE}
        if ward_code:
            params["ward"] = ward_code
        if cursor:
            params["cursor"] = cursor
        found: dict[str, Any] = self._api.get("/reports", self._token, params=params)
        return found

    def report(self, report_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._api.get(f"/reports/{report_id}", self._token)
        return found

    def photo(self, report_id: str) -> httpx.Response:
        """The photo's answer, still to be read: the caller passes it on and closes it."""
        return self._api.open_stream(f"/reports/{report_id}/photo", self._token)

    def pass_to(self, report_id: str, agency_id: str, note: str) -> None:
        self._api.post(
            f"/reports/{report_id}/pass", self._token, json={"agency_id": agency_id, "note": note}
        )

    def change_status(self, report_id: str, status: str, note: str) -> None:
        self._api.post(
            f"/reports/{report_id}/status", self._token, json={"status": status, "note": note}
        )
