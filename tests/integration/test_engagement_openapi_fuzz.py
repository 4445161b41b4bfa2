"""Schemathesis over engagement's published OpenAPI, against the running service, signed in as
a ward panel's chair: whatever the input, engagement never answers 5xx, answers errors as
RFC 9457 problems, and refuses input that breaks its schema with a 4xx."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import schemathesis
from psycopg import sql
from psycopg.conninfo import make_conninfo
from schemathesis.generation import GenerationMode

from snp.membership.v1 import events_pb2 as mpb
from snp_platform.eventstore import create_platform_schema
from tests.integration.documents_world import make_accounts, membership_relay
from tests.integration.kafka_helpers import wait_until
from tests.integration.openapi_fuzz import MODES, fuzz_every_operation

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def engagement_schema(stack: Any) -> Any:
    http_port, _grpc = stack.ports.services["engagement"]
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{http_port}/engagement/openapi.json")


def _has_roles(stack: Any, account_id: str) -> bool:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        row = conn.execute("SELECT 1 FROM group_roles WHERE account_id = %s", (account_id,))
        return row.fetchone() is not None


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
        group = str(uuid.uuid4())
        ref = mpb.GroupRef(
            group_id=group, tenant=tenant, group_type="ward_panel", ward_code="E05000138"
        )
        membership.record(
            tenant,
            group,
            mpb.GroupCreated(group=ref, name="Fuzz Panel", visibility="public"),
            mpb.MemberAdmitted(group=ref, account_id=chair.account_id),
            mpb.OfficerAppointed(group=ref, account_id=chair.account_id, role="chair"),
        )
        wait_until(lambda: _has_roles(stack, chair.account_id), 60)
    yield chair.token
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.mark.parametrize("mode", MODES)
def test_engagement_never_fails_on_any_input(
    engagement_schema: Any, chair_token: str, mode: GenerationMode
) -> None:
    fuzz_every_operation(
        engagement_schema,
        chair_token,
        mode,
        max_examples=15,
        min_operations=9,  # every endpoint in docs/engagement.md
        min_fuzzed=6,
    )
