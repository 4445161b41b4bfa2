"""The policy fake against the real OPA serving policies/ (integration: the stack's OPA).

Given a rule that reads the grants of policies/matrix.json (the data the Rego policy itself
decides from), the fake must answer allow/deny exactly as OPA does for every cell of a slice of
the matrix (group reads, member lists, group edits, document reads, an unknown action; tenants,
MFA, group roles, visibility, type, directory, audience), one by one and in batches; and what it
records as asked must be exactly the input the real client posted.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from snp_platform.opa import OpaClient
from snp_platform.testing import FakePolicyClient

pytestmark = pytest.mark.integration

MATRIX: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "policies" / "matrix.json").read_text()
)["snp"]["matrix"]
ACTIONS = (
    "membership.group.read",
    "membership.members.read",
    "membership.group.update",
    "documents.document.read",
    "membership.group.nuke",  # no such action: denied
)


def matrix_rule(subject: Mapping[str, Any], action: str, resource: Mapping[str, Any]) -> bool:
    """The matrix's grants for this slice: same tenant, MFA for staff, then any grant whose
    kinds, group roles and resource attributes all match (the slice has no `self` grants)."""
    if subject["tenant"] != resource.get("tenant"):
        return False
    if subject["kind"] != "member" and not subject["mfa"]:
        return False
    roles = set(subject["group_roles"].get(resource.get("group_id"), []))
    return any(
        subject["kind"] in grant["kinds"]
        and ("roles" not in grant or roles & set(grant["roles"]))
        and all(resource.get(k) in allowed for k, allowed in grant.get("where", {}).items())
        for grant in MATRIX["actions"].get(action, [])
    )


def subject(kind: str, roles: list[str] | None = None, **attrs: Any) -> dict[str, Any]:
    base = {"id": "s1", "kind": kind, "tenant": "met", "mfa": kind != "member", "group_roles": {}}
    if roles is not None:
        base["group_roles"] = {"g1": roles}
    return base | attrs


SUBJECTS = [
    subject("member"),
    subject("member", ["member"]),
    subject("member", ["member", "secretary"]),
    subject("member", ["member", "chair"]),
    subject("member", ["member", "coordinator"], mfa=True),
    subject("police"),
    subject("police", mfa=False),
    subject("police", ["chair"]),  # a staff kind holding a group role reads no documents
    subject("tenant_admin"),
    subject("area_coordinator"),
    subject("auditor"),
    subject("police", tenant="city-of-london"),
]


def resources(kind: str) -> list[dict[str, Any]]:
    cells = itertools.product(
        ("public", "hidden"),
        ("open", "closed"),
        ("neighbourhood_watch", "ward_panel", "community_group"),
        ("officers", "members"),
        ("met", "city-of-london"),
    )
    return [
        {
            "type": kind,
            "id": f"r{i}",
            "tenant": tenant,
            "group_id": "g1",
            "group_type": group_type,
            "visibility": visibility,
            "status": status,
            "group_directory": directory,
            "audience": directory,  # a document's audience: officers or members
        }
        for i, (visibility, status, group_type, directory, tenant) in enumerate(cells)
    ]


class Recording(httpx.HTTPTransport):
    """The real client's transport, keeping the input of every question it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.inputs.append(json.loads(request.read())["input"])
        return super().handle_request(request)


@pytest.fixture
def opa(stack: Any) -> Iterator[tuple[OpaClient, Recording]]:
    transport = Recording()
    with OpaClient(stack.opa_url, timeout_seconds=5, transport=transport) as client:
        yield client, transport


@pytest.mark.parametrize("action", ACTIONS)
def test_the_fake_with_the_matrix_rule_decides_as_opa_does(
    opa: tuple[OpaClient, Recording], action: str
) -> None:
    real, sent = opa
    fake = FakePolicyClient(matrix_rule)
    kind = "document" if action.startswith("documents.") else "group"
    differ: list[tuple[Any, ...]] = []
    allowed = 0
    for who, what in itertools.product(SUBJECTS, resources(kind)):
        answer = real.decide(who, action, what)
        assert answer.reasons != ("authorization_unavailable",)
        allowed += answer.allow
        if fake.decide(who, action, what).allow != answer.allow:
            differ.append((who, what, answer.reasons))
    assert differ == []
    assert (allowed > 0) == (action != "membership.group.nuke")  # the slice has both answers
    assert [a.input for a in fake.asked] == sent.inputs


@pytest.mark.parametrize("action", ACTIONS[:4])
def test_the_fakes_batches_agree_with_opas(opa: tuple[OpaClient, Recording], action: str) -> None:
    real, sent = opa
    fake = FakePolicyClient(matrix_rule)
    batch = resources("document" if action.startswith("documents.") else "group")
    for who in SUBJECTS:
        assert fake.allowed_ids(who, action, batch) == real.allowed_ids(who, action, batch)
    assert [a.input for a in fake.asked] == sent.inputs
    assert all(a.query == "allowed_ids" for a in fake.asked)
