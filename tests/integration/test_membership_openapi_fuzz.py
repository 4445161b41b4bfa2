"""Schemathesis over membership's published OpenAPI, against the running service, signed in as
a group's coordinator: whatever the input, membership never answers 5xx, answers errors as
RFC 9457 problems, and refuses input that breaks its schema with a 4xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from schemathesis.generation import GenerationMode

from tests.integration.membership_people import (
    Force,
    found_group,
    identity_client,
    identity_context,
    membership_client,
    wait_for_tenant,
)
from tests.integration.openapi_fuzz import MODES, fuzz_every_operation

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def membership_schema(stack: Any) -> Any:
    http_port, _grpc = stack.ports.services["membership"]
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{http_port}/membership/openapi.json")


@pytest.fixture(scope="module")
def coordinator_token(stack: Any) -> str:
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        coordinator = Force(stack, ctx, identity).person("member", "Fuzz Coordinator")
    wait_for_tenant(stack, coordinator.tenant)
    with membership_client(stack) as api:
        found_group(api, coordinator)
    return coordinator.token


@pytest.mark.parametrize("mode", MODES)
def test_membership_never_fails_on_any_input(
    membership_schema: Any, coordinator_token: str, mode: GenerationMode
) -> None:
    fuzz_every_operation(
        membership_schema,
        coordinator_token,
        mode,
        max_examples=10,
        min_operations=14,  # every endpoint of DESIGN.md's REST surface
        min_fuzzed=10,
    )
