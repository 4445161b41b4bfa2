"""GOV.UK Notify as an email and SMS provider, through its official Python client.

Notify sends templates: the service's email template is `((subject))` / `((body))` and its
SMS template `((body))`. The delivery id goes in `reference`, so Notify's delivery receipts
(and any duplicate) name the delivery.
"""

from __future__ import annotations

from typing import Any

import requests
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from snp_messaging.adapters.channels import Outgoing
from snp_messaging.domain.deliveries import Attempt, Verdict

SMS_LIMIT = 918  # Notify's longest text message (6 fragments of 153 characters)


class NotifyChannel:
    """Email or SMS through Notify (the client is thread-safe enough per worker thread)."""

    def __init__(
        self, name: str, api_key: str, template_id: str, base_url: str, timeout: float = 10.0
    ) -> None:
        if name not in ("email", "sms"):
            raise ValueError(f"Notify has no {name} channel here")
        self.name = name
        self._template_id = template_id
        client: Any = NotificationsAPIClient  # the client ships without type hints
        self._client: Any = client(api_key, base_url=base_url, timeout=timeout)

    def address_of(self, email: str, phone: str) -> str:
        return email if self.name == "email" else phone

    def send(self, outgoing: Outgoing) -> Attempt:
        try:
            if self.name == "email":
                answer = self._client.send_email_notification(
                    email_address=outgoing.address,
                    template_id=self._template_id,
                    personalisation={"subject": outgoing.subject, "body": outgoing.text},
                    reference=outgoing.delivery_id,
                )
            else:
                answer = self._client.send_sms_notification(
                    phone_number=outgoing.address,
                    template_id=self._template_id,
                    personalisation={"body": _sms_text(outgoing)},
                    reference=outgoing.delivery_id,
                )
        except APIError as error:
            return _classify(error)
        except requests.RequestException as error:
            return Attempt(Verdict.RETRY, f"notify: {type(error).__name__}")
        return Attempt(Verdict.SENT, provider_reference=str(answer.get("id", "")))

    def close(self) -> None:
        self._client.request_session.close()


def _sms_text(outgoing: Outgoing) -> str:
    text = f"{outgoing.subject}\n{outgoing.text}"
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 1] + "…"


def _classify(error: APIError) -> Attempt:
    status = error.status_code
    detail = f"notify {status}: {error.message}"[:300]
    # 429 (rate limits) and 5xx are Notify's way of saying "later"; 503 is the client's own
    # code for a request that never got an answer.
    if status == 429 or status >= 500:
        return Attempt(Verdict.RETRY, detail)
    if status == 400 and ("email_address" in detail or "phone_number" in detail):
        return Attempt(Verdict.BOUNCED, detail)
    return Attempt(Verdict.FAILED, detail)
