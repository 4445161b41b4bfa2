"""Tenant provisioning through identity's REST API (identity mocked at the HTTP layer)."""

from __future__ import annotations

import json

import httpx
import pytest

from snp_operator.tenant import ProvisioningError, provision

SPEC = {
    "platform": "snp",
    "slug": "riverside",
    "displayName": "Riverside",
    "adminEmail": "a@r.example",
}
OPERATOR = {"email": "ops@platform.example", "password": "pw"}


def identity(answers: dict[str, int], seen: list[tuple[str, dict[str, str]]]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append((request.url.path, body))
        if request.url.path == "/identity/sessions":
            return httpx.Response(
                200, json={"access_token": "t", "refresh_token": "r", "expires_in": 900}
            )
        assert request.headers["Authorization"] == "Bearer t"
        return httpx.Response(answers.get(request.url.path, 201), json={})

    return httpx.Client(base_url="http://identity", transport=httpx.MockTransport(handle))


def test_registers_the_tenant_then_its_first_admin() -> None:
    seen: list[tuple[str, dict[str, str]]] = []
    provision(identity({}, seen), SPEC, OPERATOR, "initial")
    assert [path for path, _ in seen] == [
        "/identity/sessions",
        "/identity/tenants",
        "/identity/accounts",
    ]
    assert seen[0][1]["tenant"] == "platform"
    assert seen[1][1] == {"slug": "riverside", "display_name": "Riverside"}
    assert seen[2][1]["kind"] == "tenant_admin" and seen[2][1]["tenant"] == "riverside"
    assert seen[2][1]["email"] == "a@r.example" and seen[2][1]["password"] == "initial"


def test_existing_tenant_and_admin_count_as_done() -> None:
    answers = {"/identity/tenants": 409, "/identity/accounts": 409}
    provision(identity(answers, []), SPEC, OPERATOR, "initial")


@pytest.mark.parametrize("path", ["/identity/tenants", "/identity/accounts"])
def test_a_refusal_is_an_error(path: str) -> None:
    with pytest.raises(ProvisioningError, match="403"):
        provision(identity({path: 403}, []), SPEC, OPERATOR, "initial")
