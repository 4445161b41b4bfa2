"""Schemathesis over documents' published OpenAPI, against the running service, signed in as a
group's chair: whatever the input, documents never answers 5xx, answers errors as RFC 9457
problems, and refuses input that breaks its schema with a 4xx."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from psycopg import sql
from psycopg.conninfo import make_conninfo
from schemathesis.checks import negative_data_rejection, not_a_server_error
from schemathesis.generation import GenerationMode

from snp_platform.eventstore import create_platform_schema
from tests.integration.documents_world import make_accounts, membership_relay, roles_in_documents
from tests.integration.kafka_helpers import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def documents_schema(stack: Any) -> Any:
    http_port, _grpc = stack.ports.services["documents"]
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{http_port}/documents/openapi.json")


@pytest.fixture(scope="module")
def chair_token(stack: Any) -> Iterator[str]:
    name = f"t_membership_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    tenant = f"fuzz-{uuid.uuid4().hex[:6]}"
    chair = make_accounts(stack, tenant, [("chair", "member")])["chair"]
    with membership_relay(stack, url) as membership:
        group = membership.group(tenant, chair.account_id)
        wait_until(lambda: bool(roles_in_documents(stack, group, chair.account_id)), 60)
    yield chair.token
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


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
def test_documents_never_fails_on_any_input(
    documents_schema: Any, chair_token: str, mode: GenerationMode
) -> None:
    operations = [result.ok() for result in documents_schema.get_all_operations()]
    assert len(operations) >= 9  # every documents endpoint in DESIGN.md's REST surface
    fuzzed = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            _check(case, chair_token, negative=mode is GenerationMode.NEGATIVE)

        try:
            run()
            fuzzed += 1
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label
    assert fuzzed >= 6, f"only {fuzzed} operations had cases"
