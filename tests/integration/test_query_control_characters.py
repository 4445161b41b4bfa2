"""Every query parameter of every service's published API refuses a control character with a
422 problem, before the route (or PostgreSQL, which refuses NUL in text) sees it. Once
`GET /audit/events?actor=a%00b` answered 500."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

# Identity's and engagement's APIs take no query parameters (their path parameters are checked
# the same way).
SERVICES = ("membership", "documents", "messaging", "audit")
_PATH_PARAMETER = re.compile(r"\{[^}]+\}")


def _query_parameters(base: str, service: str) -> list[tuple[str, str, str]]:
    """(method, path with its parameters filled, query parameter) for every query parameter."""
    schema = httpx.get(f"{base}/{service}/openapi.json", timeout=10).json()
    found = []
    for path, operations in schema["paths"].items():
        filled = _PATH_PARAMETER.sub(str(uuid.uuid4()), path)
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found.append((method.upper(), filled, parameter["name"]))
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_a_control_character_in_any_query_parameter_is_a_422_problem(
    stack: Any, service: str
) -> None:
    http_port, _grpc = stack.ports.services[service]
    base = f"http://127.0.0.1:{http_port}"
    parameters = _query_parameters(base, service)
    assert parameters, f"{service} publishes no query parameter"
    with httpx.Client(base_url=base, timeout=10) as client:
        for method, path, name in parameters:
            for value in ("a\x00b", "tab\there", "new\nline"):
                answer = client.request(method, path, params={name: value})
                where = (method, path, name, repr(value), answer.status_code, answer.text[:200])
                assert answer.status_code == 422, where
                assert answer.headers["content-type"] == "application/problem+json", where
                assert answer.json()["errors"][0]["field"] == f"query.{name}", where


@pytest.mark.parametrize("service", ["identity", "engagement", *SERVICES])
def test_a_control_character_in_a_path_is_a_422_problem(stack: Any, service: str) -> None:
    http_port, _grpc = stack.ports.services[service]
    answer = httpx.get(f"http://127.0.0.1:{http_port}/{service}/a%00b", timeout=10)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "path"


def test_the_audit_search_that_once_failed_is_refused_and_nothing_else_is(stack: Any) -> None:
    http_port, _grpc = stack.ports.services["audit"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}", timeout=10) as client:
        refused = client.get("/audit/events", params={"actor": "a\x00b"})
        plain = client.get("/audit/events", params={"actor": "ab"})
    assert refused.status_code == 422
    assert plain.status_code == 401  # the same search without the NUL reaches the route
