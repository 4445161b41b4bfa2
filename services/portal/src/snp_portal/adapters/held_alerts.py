"""What the alert governance pages ask of messaging, with the officer's own token: the alerts
waiting for a second officer, one of them, each step on it (approve, reject, withdraw,
edit), the follow-ups of a sent alert (a correction, a withdrawal), and the force's rule.
Messaging and OPA decide each of these (a sender never approves their own); the pages ask."""

from __future__ import annotations

from typing import Any

from snp_portal.adapters.api import Apis

WAITING_SHOWN = 200  # messaging's most; a force rarely has more than a few waiting


class HeldAlertsApi:
    def __init__(self, apis: Apis, token: str) -> None:
        self._messaging, self._token = apis.messaging, token

    def waiting(self) -> list[dict[str, Any]]:
        """The force's alerts waiting, oldest first, each with `decidable` for the caller."""
        found = self._messaging.get("/alerts/held", self._token, params={"limit": WAITING_SHOWN})
        return list(found["alerts"])

    def held(self, alert_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._messaging.get(f"/alerts/held/{alert_id}", self._token)
        return found

    def step(self, alert_id: str, verb: str, reason: str) -> dict[str, Any]:
        """`verb` is approve, reject or withdraw."""
        done: dict[str, Any] = self._messaging.post(
            f"/alerts/held/{alert_id}/{verb}", self._token, json={"reason": reason}
        ).json()
        return done

    def edit(self, alert_id: str, wording: dict[str, str]) -> dict[str, Any]:
        """New `subject`, `body`, `type` and `priority` for the waiting alert."""
        done: dict[str, Any] = self._messaging.put(
            f"/alerts/held/{alert_id}", self._token, json=wording
        ).json()
        return done

    def follow_up(self, message_id: str, kind: str, wording: dict[str, str]) -> dict[str, Any]:
        """`kind` is correction or withdrawal; `wording` its `subject` (blank: messaging's
        "Correction: …"), `body` and `reason`."""
        sent: dict[str, Any] = self._messaging.post(
            f"/messages/{message_id}/{kind}", self._token, json=wording
        ).json()
        return sent

    def approval_rule(self) -> tuple[bool, bool]:
        """(force-wide alerts wait, urgent alerts wait)."""
        found = self._messaging.get("/alerts/approval-rule", self._token)
        return bool(found["force_wide"]), bool(found["urgent"])

    def set_approval_rule(self, force_wide: bool, urgent: bool) -> None:
        self._messaging.put(
            "/alerts/approval-rule",
            self._token,
            json={"force_wide": force_wide, "urgent": urgent},
        )
