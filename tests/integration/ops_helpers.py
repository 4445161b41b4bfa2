"""Calling a service's REST API straight, as a test account (the portal not asked)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.integration.membership_people import PASSWORD
from tests.integration.portal_people import Account
from tests.integration.security_helpers import identity_api

RECIPIENTS = "messaging.recipients"  # messaging's projection of groups, roles and forces


def service_api(stack: Any, service: str) -> httpx.Client:
    port = stack.ports.services[service][0]
    return httpx.Client(base_url=f"http://127.0.0.1:{port}/{service}", timeout=60)


def api_token(stack: Any, who: Account) -> dict[str, str]:
    """The account's bearer header, signed in at identity (with its next code, for staff)."""
    body = {"tenant": who.tenant, "email": who.email, "password": PASSWORD}
    if who.totp is not None:
        body["code"] = who.next_code()
    with identity_api(stack) as api:
        answer = api.post("/sessions", json=body)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def next_time_step() -> None:
    """Wait for the authenticator's next 30-second step (identity takes each step once)."""
    time.sleep(30 - time.time() % 30 + 0.5)
