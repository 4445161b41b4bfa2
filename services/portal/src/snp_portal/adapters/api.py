"""The platform's REST APIs as the portal calls them: with the signed-in user's token, over
httpx, never their databases. A refusal comes back as `Refusal` (the problem document, read),
so a page can turn it into the GOV.UK error summary; a failure is `ServiceUnavailable`."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx

from snp_platform.problems import PROBLEM_TYPE_BASE

# The browser's address for the request being served: sent on as X-Forwarded-For, so identity
# throttles sign-ins per person's address rather than seeing the portal's for everyone.
browser_address: ContextVar[str | None] = ContextVar("browser_address", default=None)


def forwarded_for() -> dict[str, str]:
    address = browser_address.get()
    return {"X-Forwarded-For": address} if address else {}


class ServiceUnavailable(Exception):
    """A service failed or could not be reached: the page says so, never shows the answer."""


class NotSignedIn(Exception):
    """The token was refused (expired, revoked): the user signs in again."""


# Not frozen: an exception's __traceback__ is set as it passes through the server's task
# groups, and a frozen dataclass refuses that assignment.
@dataclass
class Refusal(Exception):
    """A 4xx problem document from a service: its status, type slug (`urn:snp:problem:` taken
    off), title, detail, and the messages of its `errors` member keyed by field (`""` when a
    message names no field; `problems` keeps every (field, message) of it, in order)."""

    status: int
    kind: str
    title: str
    detail: str | None = None
    field_messages: dict[str, str] = field(default_factory=dict)
    retry_after: int | None = None
    problems: tuple[tuple[str, str], ...] = ()
    # The `errors` member's items as sent, for refusals whose items carry more than a message
    # (identity's `last-leader` names each group).
    items: tuple[dict[str, Any], ...] = ()

    @property
    def message(self) -> str:
        """The one sentence a page shows when no field message fits."""
        return self.detail or self.title


def read_refusal(answer: httpx.Response) -> Refusal:
    try:
        body: Any = answer.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    messages: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    items = tuple(i for i in body.get("errors") or [] if isinstance(i, dict))
    for item in items:
        if item.get("message"):
            name = str(item.get("field") or "").removeprefix("body.")
            messages.setdefault(name, str(item["message"]))
            problems.append((name, str(item["message"])))
    retry = answer.headers.get("Retry-After", "")
    return Refusal(
        status=answer.status_code,
        kind=str(body.get("type", "")).removeprefix(PROBLEM_TYPE_BASE),
        title=str(body.get("title", "")),
        detail=str(body["detail"]) if body.get("detail") else None,
        field_messages=messages,
        retry_after=int(retry) if retry.isdigit() else None,
        problems=tuple(problems),
        items=items,
    )


class ApiClient:
    """One service's REST API under its path prefix (e.g. `/membership`)."""

    def __init__(
        self,
        name: str,
        base_url: str,
        prefix: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.name = name
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + prefix, timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def send(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """The raw answer, whatever its status (network failures are ServiceUnavailable)."""
        headers = forwarded_for() | dict(kwargs.pop("headers", None) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            return self._http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise ServiceUnavailable(f"{self.name}: {type(error).__name__}") from error

    def call(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """A 2xx answer; NotSignedIn on 401, Refusal on another 4xx, ServiceUnavailable on
        anything else."""
        return self._checked(self.send(method, path, token, **kwargs), token)

    def open_stream(self, path: str, token: str) -> httpx.Response:
        """A 2xx GET answer whose body is still to come (a download passed on piece by piece,
        never held whole); the caller closes it. Refusals as `call` raises them."""
        request = self._http.build_request(
            "GET", path, headers={"Authorization": f"Bearer {token}"}
        )
        try:
            answer = self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise ServiceUnavailable(f"{self.name}: {type(error).__name__}") from error
        if not answer.is_success:
            answer.read()
            answer.close()
        return self._checked(answer, token)

    def _checked(self, answer: httpx.Response, token: str | None) -> httpx.Response:
        if answer.is_success:
            return answer
        if answer.status_code == 401 and token is not None:
            raise NotSignedIn
        if 400 <= answer.status_code < 500:
            raise read_refusal(answer)
        request = answer.request
        raise ServiceUnavailable(
            f"{self.name} {request.method} {request.url.path}: {answer.status_code}"
        )

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> Any:
        return self.call("GET", path, token, **kwargs).json()

    def post(self, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("POST", path, token, **kwargs)

    def put(self, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("PUT", path, token, **kwargs)

    def patch(self, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("PATCH", path, token, **kwargs)

    def delete(self, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("DELETE", path, token, **kwargs)


@dataclass(frozen=True)
class Apis:
    """The services the portal's pages call (identity's sign-in lives in IdentityClient)."""

    identity: ApiClient
    membership: ApiClient
    documents: ApiClient
    messaging: ApiClient
    audit: ApiClient
    # Not in by_service(): the operator's health and projection pages list their services
    # themselves, and engagement's pages call it directly.
    engagement: ApiClient

    @classmethod
    def from_urls(
        cls,
        identity: str,
        membership: str,
        documents: str,
        messaging: str,
        transport: httpx.BaseTransport | None = None,
        audit: str = "http://127.0.0.1:8005",
        engagement: str = "http://127.0.0.1:8006",
    ) -> Apis:
        return cls(
            ApiClient("identity", identity, "/identity", transport),
            ApiClient("membership", membership, "/membership", transport),
            ApiClient("documents", documents, "/documents", transport),
            ApiClient("messaging", messaging, "/messaging", transport),
            # An export streams for as long as the log is long: a longer read timeout.
            ApiClient("audit", audit, "/audit", transport, timeout=60.0),
            ApiClient("engagement", engagement, "/engagement", transport),
        )

    def by_service(self) -> dict[str, ApiClient]:
        """Every service's client by the service's name, in the platform's order."""
        return {
            c.name: c
            for c in (self.identity, self.membership, self.documents, self.messaging, self.audit)
        }

    def close(self) -> None:
        for client in self.by_service().values():
            client.close()
        self.engagement.close()
