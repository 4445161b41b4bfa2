"""A dependency that is down (the database restarting, OPA gone) is answered 503 with
Retry-After, as a problem document: never a 500, and never a 403 that says "not allowed"."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from psycopg_pool import PoolTimeout

from snp_platform.authz import authorize
from snp_platform.http import create_app
from snp_platform.opa import Decision
from snp_platform.problems import PROBLEM_JSON, Problem
from snp_platform.settings import ServiceSettings
from snp_platform.testing.fake_policy import FakePolicyClient
from snp_platform.tokens import Principal

OFFICER = Principal(
    "acct-1", "met", "police", ("pwd", "otp"), "jti-1", datetime.now(UTC), datetime.now(UTC)
)
GROUP = {"type": "group", "id": "g1", "tenant": "met"}


def _client() -> TestClient:
    router = APIRouter(prefix="/demo")

    @router.get("/database-down")
    def database_down() -> None:
        raise psycopg.OperationalError("connection to server at 127.0.0.1 failed: refused")

    @router.get("/pool-exhausted")
    def pool_exhausted() -> None:
        raise PoolTimeout("couldn't get a connection after 30.00 sec")

    @router.get("/opa-down")
    def opa_down() -> None:
        authorize(FakePolicyClient.unavailable(), OFFICER, "membership.group.read", GROUP)

    return TestClient(create_app(ServiceSettings(service_name="demo"), {}, router))


@pytest.mark.parametrize("path", ["/demo/database-down", "/demo/pool-exhausted", "/demo/opa-down"])
def test_a_dependency_down_is_a_503_problem_with_retry_after(path: str) -> None:
    answer = _client().get(path)
    assert answer.status_code == 503
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert int(answer.headers["Retry-After"]) > 0
    body = answer.json()
    assert body["type"] == "urn:snp:problem:unavailable"
    assert "127.0.0.1" not in answer.text and "sec" not in body["detail"]  # no internals


def test_a_policy_that_answers_no_is_still_a_403() -> None:
    refusing = FakePolicyClient(lambda _s, _a, _r: Decision(False, ("not_a_group_member",)))
    with pytest.raises(Problem) as refused:
        authorize(refusing, OFFICER, "membership.group.read", GROUP)
    assert refused.value.status == 403 and "Retry-After" not in refused.value.headers
