"""Hypothesis against the stack's real OPA: no document action is ever allowed to a staff kind
(police, tenant admin, area coordinator, operator, auditor, partner), whatever group roles, MFA or
resource, and no document action ever crosses tenants (invariants 1, 7 and 10's readers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.integration

MATRIX = json.loads((Path(__file__).resolve().parents[2] / "policies" / "matrix.json").read_text())[
    "snp"
]["matrix"]
DOCUMENT_ACTIONS = sorted(a for a in MATRIX["actions"] if a.startswith("documents."))
STAFF = ["police", "tenant_admin", "area_coordinator", "operator", "auditor", "partner"]
NOT_MEMBERS = [*STAFF, "public"]  # and the visitor without an account
ROLES = [*MATRIX["group_roles"], "owner"]
TENANTS = ["met", "city-of-london", "kent"]
GROUPS = ["g1", "g2", "g3"]
BATCH = 50
EXAMPLES = 240  # x BATCH resources = 12,000 combinations


@pytest.fixture(scope="module")
def opa(stack: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.opa_url, timeout=30) as client:
        yield client


roles = st.dictionaries(
    st.sampled_from(GROUPS), st.lists(st.sampled_from(ROLES), max_size=4), max_size=3
)
subjects = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["acct-1", "acct-2"]),
        "kind": st.sampled_from([*NOT_MEMBERS, "member"]),
        "tenant": st.sampled_from(TENANTS),
        "mfa": st.booleans(),
        "group_roles": roles,
    }
)
resources = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["document", "group"]),
        "tenant": st.sampled_from(TENANTS),
        "group_id": st.sampled_from(GROUPS),
        "audience": st.sampled_from(["officers", "members", "public"]),
        "owner": st.sampled_from(["acct-1", "acct-2"]),
    }
)


def test_no_document_action_for_staff_or_across_tenants(opa: httpx.Client) -> None:
    checked: list[int] = []
    member_allows: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        subject=subjects,
        action=st.sampled_from(DOCUMENT_ACTIONS),
        batch=st.lists(resources, min_size=BATCH, max_size=BATCH),
    )
    def check(subject: dict[str, Any], action: str, batch: list[dict[str, Any]]) -> None:
        # Staff are drawn holding every role in the group they ask about, half the time.
        if subject["kind"] != "member" and subject["id"] == "acct-1":
            subject = {**subject, "group_roles": {g: list(MATRIX["group_roles"]) for g in GROUPS}}
        batch = [{**r, "id": f"r{i}"} for i, r in enumerate(batch)]
        body = {"input": {"subject": subject, "action": action, "resources": batch}}
        answer = opa.post("/v1/data/snp/authz/allowed_ids", json=body)
        answer.raise_for_status()
        allowed = set(answer.json()["result"])
        for resource in batch:
            if resource["id"] not in allowed:
                continue
            assert subject["kind"] == "member", ("staff allowed", subject, action, resource)
            assert resource["tenant"] == subject["tenant"], ("crossed", subject, resource)
        checked.append(len(batch))
        member_allows.append(len(allowed))

    check()
    assert sum(checked) >= 10_000
    # Not vacuous: the same query allows a member of the group (drawn examples may not).
    chair = {"id": "acct-1", "kind": "member", "tenant": "met", "mfa": False}
    chair["group_roles"] = {"g1": ["chair", "member"]}
    document = {"type": "document", "id": "d1", "tenant": "met", "group_id": "g1"}
    body = {"subject": chair, "action": "documents.document.read", "resources": [document]}
    answer = opa.post("/v1/data/snp/authz/allowed_ids", json={"input": body})
    assert answer.json()["result"] == ["d1"], answer.text
