"""The shared FastAPI app: problem documents, request context, health and metrics."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from snp_platform.eventstore import ConcurrencyError, Stream
from snp_platform.http import create_app, parse_traceparent
from snp_platform.logging import context_value
from snp_platform.problems import PROBLEM_JSON, Problem, register_problem
from snp_platform.settings import ServiceSettings
from snp_platform.tenancy import TenantMismatch, current_tenant_or_none
from snp_platform.tokens import CurrentPrincipal


class Signup(BaseModel):
    email: str
    password: str = Field(min_length=12)


class LibraryError(Exception):
    pass


def _router() -> APIRouter:
    router = APIRouter(prefix="/demo")

    @router.get("/search")
    def search(q: str = "") -> dict[str, str]:
        return {"q": q}

    @router.get("/names/{name}")
    def get_name(name: str) -> dict[str, str]:
        return {"name": name}

    @router.get("/items/{item_id}")
    def get_item(item_id: int) -> dict[str, Any]:
        return {"id": item_id, "correlation_id": context_value("correlation_id")}

    @router.post("/signups")
    def signup(body: Signup) -> dict[str, str]:
        return {"email": body.email}

    @router.get("/conflict")
    def conflict() -> None:
        raise ConcurrencyError(Stream("met", "s-1"), 2, 3)

    @router.get("/other-tenant")
    def other_tenant() -> None:
        raise TenantMismatch("group g-1 is in tenant city-of-london")

    @router.get("/teapot")
    def teapot() -> None:
        raise Problem(418, detail="short and stout", type_uri="urn:snp:problem:teapot", spout=1)

    @router.get("/library")
    def library() -> None:
        raise LibraryError("internal detail")

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal state: password=hunter2")

    @router.get("/me")
    def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"account": principal.account_id}

    return router


def _checks(ok: bool) -> dict[str, Any]:
    def failing() -> tuple[bool, str]:
        return False, "connection refused"

    def raising() -> tuple[bool, str]:
        raise OSError("kaput")

    checks: dict[str, Any] = {"postgres": lambda: (True, "ok")}
    if not ok:
        checks.update(kafka=failing, opa=raising)
    return checks


@pytest.fixture
def client() -> TestClient:
    register_problem(LibraryError, 422, "Unprocessable library", detail="fixed text")
    app = create_app(ServiceSettings(service_name="demo"), _checks(True), _router())
    return TestClient(app, raise_server_exceptions=False)


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] and body["title"]
    return body


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    body = _assert_problem(client.get("/demo/nothing-here"), 404)
    assert body["title"] == "Not Found"


def test_concurrency_error_is_a_409_problem_without_internals(client: TestClient) -> None:
    body = _assert_problem(client.get("/demo/conflict"), 409)
    assert body["type"] == "urn:snp:problem:concurrency-conflict"
    assert "s-1" not in str(body)


def test_tenant_mismatch_is_a_404_that_reveals_nothing(client: TestClient) -> None:
    body = _assert_problem(client.get("/demo/other-tenant"), 404)
    assert "city-of-london" not in str(body)


def test_problem_exception_carries_extension_members(client: TestClient) -> None:
    body = _assert_problem(client.get("/demo/teapot"), 418)
    assert body == {
        "type": "urn:snp:problem:teapot",
        "title": "I'm a Teapot",
        "status": 418,
        "detail": "short and stout",
        "spout": 1,
    }


def test_registered_exception_maps_to_its_problem(client: TestClient) -> None:
    body = _assert_problem(client.get("/demo/library"), 422)
    assert body["title"] == "Unprocessable library"
    assert body["detail"] == "fixed text"


def test_validation_error_lists_fields_without_echoing_input(client: TestClient) -> None:
    response = client.post("/demo/signups", json={"password": "hunter2"})
    body = _assert_problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"body.email", "body.password"}
    assert all(error["message"] for error in body["errors"])
    assert "hunter2" not in response.text


def test_path_parameter_validation_is_a_422_problem(client: TestClient) -> None:
    body = _assert_problem(client.get("/demo/items/not-a-number"), 422)
    assert body["errors"][0]["field"] == "path.item_id"


def test_unexpected_error_is_a_generic_500_with_the_correlation_id(client: TestClient) -> None:
    response = client.get("/demo/boom", headers={"X-Correlation-ID": "req-500"})
    body = _assert_problem(response, 500)
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert body["correlation_id"] == "req-500"
    assert response.headers["X-Correlation-ID"] == "req-500"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/demo/search?q=a%00b", "query.q"),
        ("/demo/search?q=line%0Abreak", "query.q"),
        ("/demo/search?q=del%7F", "query.q"),
        ("/demo/search?q%00=x", "query"),
        ("/demo/names/a%00b", "path"),
    ],
)
def test_a_control_character_in_the_path_or_query_is_a_422_problem(
    client: TestClient, url: str, field: str
) -> None:
    body = _assert_problem(client.get(url), 422)
    assert body["type"] == "urn:snp:problem:validation"
    assert body["errors"] == [{"field": field, "message": "must not contain control characters"}]


def test_text_without_control_characters_passes_the_guard(client: TestClient) -> None:
    assert client.get("/demo/search", params={"q": "Café & bar 100%"}).json() == {
        "q": "Café & bar 100%"
    }
    assert client.get("/demo/names/o%27brien").json() == {"name": "o'brien"}


def test_method_not_allowed_is_a_problem_with_allow_header(client: TestClient) -> None:
    response = client.delete("/demo/items/1")
    _assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


def test_correlation_id_is_echoed_and_bound(client: TestClient) -> None:
    response = client.get("/demo/items/7", headers={"X-Correlation-ID": "abc-123"})
    assert response.headers["X-Correlation-ID"] == "abc-123"
    assert response.json()["correlation_id"] == "abc-123"


def test_correlation_id_is_generated_when_missing_or_unsafe(client: TestClient) -> None:
    generated = client.get("/demo/items/7").headers["X-Correlation-ID"]
    assert len(generated) == 32
    unsafe = client.get("/demo/items/7", headers={"X-Correlation-ID": "a b\tc"})
    assert unsafe.headers["X-Correlation-ID"] not in {"a b\tc", generated}


def test_traceparent_parsing() -> None:
    trace, span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    assert parse_traceparent(f"00-{trace}-{span}-01") == (trace, span)
    assert parse_traceparent(f"00-{'0' * 32}-{span}-01") is None
    assert parse_traceparent(f"ff-{trace}-{span}-01") is None
    assert parse_traceparent("garbage") is None
    assert parse_traceparent(None) is None


def test_missing_bearer_token_is_401_with_challenge(client: TestClient) -> None:
    response = client.get("/demo/me")
    _assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert current_tenant_or_none() is None


def test_healthz_is_always_ok(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "alive"}


def test_readyz_passes_when_every_check_passes(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["postgres"] == {"ok": True, "detail": "ok"}


def test_readyz_is_a_503_problem_naming_failing_checks() -> None:
    app = create_app(ServiceSettings(service_name="demo"), _checks(False))
    response = TestClient(app).get("/readyz")
    body = _assert_problem(response, 503)
    assert body["failing"] == ["kafka", "opa"]
    assert "kafka" in body["detail"] and "opa" in body["detail"]
    assert body["checks"]["opa"]["detail"] == "OSError: kaput"
    assert body["checks"]["postgres"]["ok"] is True


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/demo/items/1")
    client.get("/demo/items/2")
    client.get("/demo/nothing-here")
    client.get("/demo/boom")
    text = client.get("/metrics").text
    assert 'route="/demo/items/{item_id}",status="200"' in text
    assert 'route="unmatched",status="404"' in text
    assert 'route="/demo/boom",status="500"' in text
    assert "snp_http_request_duration_seconds_bucket" in text
    assert "/demo/items/1" not in text


def test_openapi_is_served_under_the_service_prefix(client: TestClient) -> None:
    spec = client.get("/demo/openapi.json").json()
    assert "/demo/items/{item_id}" in spec["paths"]
    assert "/healthz" not in spec["paths"]
