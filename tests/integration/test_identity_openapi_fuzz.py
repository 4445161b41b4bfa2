"""Schemathesis over identity's published OpenAPI, against the running service: whatever the
input, well-formed or not, signed in or not, identity never answers 5xx, answers errors as
RFC 9457 problems, and refuses input that breaks its own schema."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.generation import GenerationMode

from tests.integration.openapi_fuzz import MODES, fuzz_every_operation

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="module")
def identity_schema(stack: Any) -> Any:
    http_port, _grpc = stack.ports.services["identity"]
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{http_port}/identity/openapi.json")


@pytest.fixture(scope="module")
def member_token(stack: Any) -> str:
    """Fuzzed calls run signed in as a member of a fresh tenant (so they reach past the token
    check into the handlers); cases that send their own Authorization header keep it."""
    from tests.integration.test_identity_api import create_operator, enrol_totp, next_code

    http_port, _grpc = stack.ports.services["identity"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30) as api:
        email = f"fuzz-op-{uuid.uuid4().hex[:6]}@council.example"
        create_operator(stack, email)
        body = {"tenant": "platform", "email": email, "password": PASSWORD}
        token = api.post("/sessions", json=body).json()["access_token"]
        secret, _codes = enrol_totp(api, token)
        operator = api.post("/sessions", json={**body, "code": next_code(secret)}).json()
        tenant = f"fuzz-{uuid.uuid4().hex[:6]}"
        made = api.post(
            "/tenants",
            headers={"Authorization": f"Bearer {operator['access_token']}"},
            json={"slug": tenant, "display_name": "Fuzz Force"},
        )
        assert made.status_code == 201, made.text
        member = {"display_name": "Fuzz Member", "email": "fuzz@example.org", "password": PASSWORD}
        assert api.post(f"/tenants/{tenant}/accounts", json=member).status_code == 201
        credentials = {"tenant": tenant, "email": member["email"], "password": PASSWORD}
        signed = api.post("/sessions", json=credentials)
        assert signed.status_code == 200, signed.text
        return str(signed.json()["access_token"])


@pytest.mark.parametrize("mode", MODES)
def test_identity_never_fails_on_any_input(
    identity_schema: Any, member_token: str, mode: GenerationMode
) -> None:
    fuzz_every_operation(
        identity_schema,
        member_token,
        mode,
        max_examples=20,
        min_operations=14,  # every endpoint of DESIGN.md's REST surface
        min_fuzzed=10,
    )
