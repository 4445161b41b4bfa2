"""Identity's REST API, called over httpx (never its database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from snp_platform.problems import PROBLEM_TYPE_BASE
from snp_portal.adapters.api import NotSignedIn, ServiceUnavailable, forwarded_for

__all__ = ["Account", "IdentityClient", "NotSignedIn", "Refused", "ServiceUnavailable", "Tokens"]


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    recovery_codes_left: int | None = None  # a recovery code was the second factor


@dataclass(frozen=True)
class Refused:
    """Why identity refused a sign-in: `password`, `second_factor`, `second_factor_reused`
    (the right code, already used), `throttled`, `suspended` or `unavailable` (identity could
    not be reached or answered something unexpected)."""

    reason: str
    retry_after: int | None = None


@dataclass(frozen=True)
class Account:
    account_id: str
    tenant: str
    kind: str
    display_name: str
    email: str
    totp_enrolled: bool
    recovery_codes_left: int = 0
    shares_with_association: bool = False  # a member's agreement (the NW association)


_REASONS = {
    "sign-in-refused": "password",
    "second-factor-required": "second_factor",
    "second-factor-reused": "second_factor_reused",
    "too-many-attempts": "throttled",
    "role-revoked": "suspended",
}


def _problem_kind(response: httpx.Response) -> str:
    try:
        body: Any = response.json()
    except ValueError:
        return ""
    kind = body.get("type", "") if isinstance(body, dict) else ""
    return str(kind).removeprefix(PROBLEM_TYPE_BASE)


class IdentityClient:
    def __init__(self, base_url: str, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/identity", timeout=10.0, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            headers = forwarded_for() | dict(kwargs.pop("headers", None) or {})
            return self._http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise ServiceUnavailable(f"identity: {type(error).__name__}") from error

    def sign_in(self, tenant: str, email: str, password: str, code: str | None) -> Tokens | Refused:
        body: dict[str, str] = {"tenant": tenant, "email": email, "password": password}
        if code:
            body["code"] = code
        try:
            answer = self._call("POST", "/sessions", json=body)
        except ServiceUnavailable:
            return Refused("unavailable")
        if answer.status_code == 200:
            got = answer.json()
            left = got.get("recovery_codes_left")
            return Tokens(
                got["access_token"],
                got["refresh_token"],
                int(got["expires_in"]),
                int(left) if left is not None else None,
            )
        if answer.status_code == 422:  # e.g. a tenant slug identity's schema refuses
            return Refused("password")
        reason = _REASONS.get(_problem_kind(answer), "unavailable")
        retry = answer.headers.get("Retry-After", "")
        return Refused(reason, int(retry) if retry.isdigit() else None)

    def refresh(self, refresh_token: str) -> Tokens:
        answer = self._call("POST", "/sessions/refresh", json={"refresh_token": refresh_token})
        if answer.status_code == 401:
            raise NotSignedIn
        if answer.status_code != 200:
            raise ServiceUnavailable(f"identity refresh: {answer.status_code}")
        got = answer.json()
        return Tokens(got["access_token"], got["refresh_token"], int(got["expires_in"]))

    def sign_out(self, refresh_token: str) -> None:
        answer = self._call("DELETE", "/sessions/current", json={"refresh_token": refresh_token})
        if answer.status_code not in (204, 401):
            raise ServiceUnavailable(f"identity sign-out: {answer.status_code}")

    def me(self, access_token: str) -> Account:
        answer = self._call("GET", "/me", headers={"Authorization": f"Bearer {access_token}"})
        if answer.status_code in (401, 403):
            raise NotSignedIn
        if answer.status_code != 200:
            raise ServiceUnavailable(f"identity me: {answer.status_code}")
        got = answer.json()
        return Account(
            got["account_id"],
            got["tenant"],
            got["kind"],
            got["display_name"],
            got["email"],
            bool(got["totp_enrolled"]),
            int(got.get("recovery_codes_left") or 0),
            bool(got.get("shares_with_association")),
        )
