"""What the police alert pages ask of messaging, with the officer's own token: a draft's
preview, the send (or the hold, under the force's rule), an attachment's upload, the force's
alerts, and one alert's delivery. Messaging and OPA decide each of these; the pages only ask."""

from __future__ import annotations

from typing import IO, Any

from snp_portal.adapters.api import Apis

PAGE_SIZE = 25
RECIPIENTS_SHOWN = 1000


class AlertsApi:
    def __init__(self, apis: Apis, token: str) -> None:
        self._messaging, self._token = apis.messaging, token

    def preview(self, message: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = self._messaging.post("/previews", self._token, json=message).json()
        return found

    def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """`id`, and `status`: `sent`, or `waiting` when the force's rule holds it for a
        second officer (nothing is sent until one approves it)."""
        sent: dict[str, Any] = self._messaging.post("/messages", self._token, json=message).json()
        return sent

    def upload(self, filename: str, content: IO[bytes]) -> dict[str, Any]:
        """Held by messaging for the officer's next message: `id`, `filename`, `size`..."""
        stored: dict[str, Any] = self._messaging.post(
            "/attachments",
            self._token,
            files={"file": (filename, content, "application/octet-stream")},
        ).json()
        return stored

    def alerts(self, q: str, audience: str, cursor: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if q:
            params["q"] = q
        if audience:
            params["audience"] = audience
        if cursor:
            params["cursor"] = cursor
        found: dict[str, Any] = self._messaging.get("/alerts", self._token, params=params)
        return found

    def delivery(self, message_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._messaging.get(
            f"/messages/{message_id}", self._token, params={"limit": RECIPIENTS_SHOWN}
        )
        return found
