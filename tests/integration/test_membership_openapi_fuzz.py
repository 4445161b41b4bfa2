"""Schemathesis over membership's published OpenAPI, against the running service, signed in as
a group's coordinator: whatever the input, membership never answers 5xx, answers errors as
RFC 9457 problems, and refuses input that breaks its schema with a 4xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import negative_data_rejection, not_a_server_error
from schemathesis.generation import GenerationMode

from tests.integration.membership_people import (
    Force,
    found_group,
    identity_client,
    identity_context,
    membership_client,
    wait_for_tenant,
)

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


def _check(case: Any, token: str, negative: bool) -> None:
    sends_own_auth = "authorization" in {k.lower() for k in (case.headers or {})}
    response = case.call(headers=None if sends_own_auth else {"Authorization": f"Bearer {token}"})
    where = (case.method, case.formatted_path, response.status_code, response.text[:300])
    case.validate_response(response, checks=[not_a_server_error, negative_data_rejection])
    if response.status_code >= 400:
        content_type = response.headers.get("content-type")
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert str(content_type).startswith("application/problem+json"), where
    if negative:
        assert 400 <= response.status_code < 500, where


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_membership_never_fails_on_any_input(
    membership_schema: Any, coordinator_token: str, mode: GenerationMode
) -> None:
    operations = [result.ok() for result in membership_schema.get_all_operations()]
    assert len(operations) >= 14  # every membership endpoint of DESIGN.md's REST surface, and more
    fuzzed = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            _check(case, coordinator_token, negative=mode is GenerationMode.NEGATIVE)

        try:
            run()
            fuzzed += 1
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label
    assert fuzzed >= 10, f"only {fuzzed} operations had cases"
