"""OPA client: every protected action asks the one policy, and fails closed.

``OpaClient.decide`` asks ``data.snp.authz.decision`` for one resource and
``OpaClient.allowed_ids`` asks ``data.snp.authz.allowed_ids`` to filter a list.
Whatever goes wrong (OPA down, slow, answering nonsense) the answer is a deny with
reason ``authorization_unavailable``: never an exception, never an allow.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx
import structlog
from prometheus_client import Counter, Histogram

UNAVAILABLE = "authorization_unavailable"

OPA_FAILURES = Counter(
    "snp_opa_failures_total",
    "OPA queries answered with a fail-closed deny, by cause",
    ["reason"],
)
OPA_LATENCY = Histogram(
    "snp_opa_decision_seconds",
    "Latency of OPA authorization queries",
    ["query"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)

_log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class Decision:
    """OPA's answer for one subject, action and resource."""

    allow: bool
    reasons: tuple[str, ...]
    decision_id: str | None = None
    # A refusal to answer as an unknown id (invariant 5): the policy says so, never a service.
    conceal: bool = False


DENY_UNAVAILABLE = Decision(allow=False, reasons=(UNAVAILABLE,), decision_id=None)


class _Unavailable(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class OpaClient:
    """A pooled, synchronous client for the platform policy served by OPA."""

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float = 2.0,
        max_connections: int = 20,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Create a client for the OPA at ``url`` (e.g. ``http://127.0.0.1:8181``).

        ``timeout_seconds`` bounds connect, read, write and pool waits of each query.
        """
        self._url = url.rstrip("/")
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_seconds),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            transport=transport,
        )

    def decide(
        self, subject: Mapping[str, Any], action: str, resource: Mapping[str, Any]
    ) -> Decision:
        """Ask whether ``subject`` may take ``action`` on ``resource``; deny on any failure."""
        try:
            body = self._query(
                "decision", {"subject": subject, "action": action, "resource": resource}
            )
            result = body.get("result")
            if not isinstance(result, dict) or not isinstance(result.get("allow"), bool):
                raise _Unavailable("malformed", "decision result missing or malformed")
            reasons = result.get("reasons", [])
            if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
                raise _Unavailable("malformed", "decision reasons malformed")
            decision_id = body.get("decision_id")
            return Decision(
                allow=result["allow"] is True,
                reasons=tuple(reasons),
                decision_id=decision_id if isinstance(decision_id, str) else None,
                conceal=result.get("conceal") is True,
            )
        except _Unavailable as exc:
            self._failed(exc.reason, str(exc), action)
            return DENY_UNAVAILABLE

    def allowed_ids(
        self,
        subject: Mapping[str, Any],
        action: str,
        resources: Iterable[Mapping[str, Any]],
    ) -> frozenset[str]:
        """Return the ids of ``resources`` that ``subject`` may take ``action`` on.

        An empty set on any failure. Only ids that were asked about are ever returned.
        """
        resources = list(resources)
        if not resources:
            return frozenset()
        try:
            body = self._query(
                "allowed_ids", {"subject": subject, "action": action, "resources": resources}
            )
            result = body.get("result")
            if not isinstance(result, list) or not all(isinstance(i, str) for i in result):
                raise _Unavailable("malformed", "allowed_ids result missing or malformed")
        except _Unavailable as exc:
            self._failed(exc.reason, str(exc), action)
            return frozenset()
        asked = {r.get("id") for r in resources if isinstance(r, Mapping)}
        return frozenset(i for i in result if i in asked)

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _query(self, rule: str, input_: Mapping[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            response = self._http.post(
                f"{self._url}/v1/data/snp/authz/{rule}", json={"input": input_}
            )
        except httpx.TimeoutException as exc:
            raise _Unavailable("timeout", repr(exc)) from exc
        except httpx.HTTPError as exc:
            raise _Unavailable("transport", repr(exc)) from exc
        except Exception as exc:  # e.g. input that cannot be encoded as JSON
            raise _Unavailable("request", repr(exc)) from exc
        finally:
            OPA_LATENCY.labels(query=rule).observe(time.perf_counter() - started)
        if response.status_code != 200:
            raise _Unavailable("status", f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            body = response.json()
        except ValueError as exc:
            raise _Unavailable("malformed", f"invalid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise _Unavailable("malformed", "response is not a JSON object")
        return body

    def _failed(self, reason: str, error: str, action: str) -> None:
        OPA_FAILURES.labels(reason=reason).inc()
        _log.warning("opa_unavailable", reason=reason, error=error, action=action, url=self._url)
