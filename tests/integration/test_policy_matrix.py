"""The role/action matrix checked cell by cell, and by Hypothesis, against a real OPA.

Cells (subject kind x group roles x MFA x action x resource shape) are built from
policies/matrix.json; the answers are checked against the design's invariants restated
here in plain Python, independently of the matrix, so a wrong matrix edit fails here.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
MATRIX: dict[str, Any] = json.loads((POLICIES / "matrix.json").read_text())["snp"]["matrix"]

TENANT, OTHER_TENANT = "met", "city-of-london"
ME, SOMEONE_ELSE = "acct-1", "acct-2"

# --- the invariants, restated from DESIGN.md (deliberately not read from the matrix) ---

STAFF = frozenset({"police", "tenant_admin", "area_coordinator", "auditor", "operator", "partner"})
# Invariant 11: partners never see membership (no group, member, officer or join request).
PARTNER = "partner"
POLICE_AND_ADMINS = frozenset({"police", "tenant_admin"})
GROUP_RUNNING = frozenset(
    {
        "membership.join.decide",
        "membership.member.remove",
        "membership.officer.appoint",
        "membership.officer.stand_down",
    }
)
APPROVALS = frozenset({"membership.approval.mark", "membership.approval.withdraw"})
# A staff account without MFA may enrol its authenticator and read its own account (to enrol).
MFA_EXEMPT = frozenset({"identity.totp.enrol", "identity.account.read"})
# A visitor without an account: the public list asks as one; it may only read public groups.
VISITOR = "public"
# Separation of duties: never on one's own account; never decided by whoever asked for it.
ON_OTHERS_ONLY = frozenset(
    {"identity.authenticator_reset.request", "identity.authenticator_reset.decide"}
)
SECOND_PERSON = frozenset({"identity.authenticator_reset.decide"})


def operator_lifecycle(
    subject: Mapping[str, Any], action: str, resource: Mapping[str, Any]
) -> bool:
    """The only cross-tenant work: an operator registering a tenant or its first admin."""
    if subject.get("kind") != "operator":
        return False
    if action == "identity.tenant.register":
        return True
    return (
        action == "identity.account.create"
        and resource.get("target_kind") == "tenant_admin"
        and resource.get("tenant_has_admin") is False
    )


def invariant_violations(
    subject: Mapping[str, Any], action: Any, resource: Mapping[str, Any], allowed: bool
) -> list[str]:
    """Which invariants this answer breaks (empty when it breaks none)."""
    if not allowed:
        return []
    kind = subject.get("kind")
    broken = []
    if kind != "member" and isinstance(action, str) and action.startswith("documents."):
        broken.append("1: staff kind allowed a documents action")
    if kind == PARTNER and isinstance(action, str) and action.startswith("membership."):
        broken.append("11: partner allowed a membership action")
    if kind in POLICE_AND_ADMINS and action in GROUP_RUNNING:
        broken.append("3: police/tenant admin allowed to run a group")
    if action in APPROVALS and (kind, resource.get("side")) not in {
        ("police", "police"),
        ("area_coordinator", "area_coordinator"),
    }:
        broken.append("4: approval marking on the other side")
    if action == "membership.group.read" and resource.get("visibility") != "public":
        roles = subject.get("group_roles") or {}
        inside = kind == "member" and bool(roles.get(resource.get("group_id")))
        watch = kind == "area_coordinator" and resource.get("group_type") == "neighbourhood_watch"
        if not (inside or kind in POLICE_AND_ADMINS or watch):
            broken.append("5: hidden group shown to an outsider")
    same_tenant = isinstance(subject.get("tenant"), str) and bool(subject.get("tenant"))
    same_tenant = same_tenant and subject.get("tenant") == resource.get("tenant")
    if not same_tenant and not operator_lifecycle(subject, action, resource):
        broken.append("7: decision crossed tenants")
    if action == "identity.account.lookup" and (
        kind not in POLICE_AND_ADMINS or resource.get("target_kind") != "member"
    ):
        broken.append("contacts: a lookup by email beyond police and admins finding members")
    me = subject.get("id")
    if action in ON_OTHERS_ONLY and (not me or resource.get("owner") in (me, None, "")):
        broken.append("two people: an authenticator reset on one's own account")
    if action in SECOND_PERSON and (not me or resource.get("requested_by") in (me, None, "")):
        broken.append("two people: a reset decided by whoever asked for it")
    if kind == VISITOR and action != "membership.group.read":
        broken.append("visitor allowed more than reading public groups")
    if (
        kind not in ("member", VISITOR)
        and subject.get("mfa") is not True
        and action not in MFA_EXEMPT
    ):
        broken.append("MFA: staff kind allowed without MFA")
    if kind not in STAFF | {"member", VISITOR}:
        broken.append("unknown subject kind allowed")
    if action not in MATRIX["actions"]:
        broken.append("unknown action allowed")
    return broken


def required_allows(
    subject: Mapping[str, Any], action: str, resource: Mapping[str, Any]
) -> list[str]:
    """The invariants that demand an allow (2 and 6)."""
    if resource.get("tenant") != subject["tenant"]:
        return []
    kind = subject["kind"]
    reads = {"membership.group.read", "membership.members.read"}
    if kind in POLICE_AND_ADMINS and subject["mfa"] is True and action in reads:
        return ["2: police/admin must read every group's membership"]
    roles = subject["group_roles"].get(resource.get("group_id"), [])
    ward_panel = resource.get("group_type") == "ward_panel"
    if kind == "member" and "member" in roles and action == "membership.members.read":
        return ["6: ward panel members must see its membership"] if ward_panel else []
    return []


# --- a real OPA ------------------------------------------------------------------


@pytest.fixture(scope="module")
def opa(stack: Any) -> Iterator[httpx.Client]:
    """The session stack's OPA, which serves policies/ as `make run` does."""
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    with httpx.Client(base_url=stack.opa_url, timeout=30, limits=limits) as client:
        yield client


def allowed_ids(
    opa: httpx.Client, subject: Any, action: Any, resources: list[dict[str, Any]]
) -> set[str]:
    body = {"input": {"subject": subject, "action": action, "resources": resources}}
    response = opa.post("/v1/data/snp/authz/allowed_ids", json=body)
    response.raise_for_status()
    return set(response.json().get("result", []))


def decide(opa: httpx.Client, subject: Any, action: str, resource: Any) -> dict[str, Any]:
    body = {"input": {"subject": subject, "action": action, "resource": resource}}
    response = opa.post("/v1/data/snp/authz/decision", json=body)
    response.raise_for_status()
    result: dict[str, Any] = response.json()["result"]
    return result


# --- the cells ---------------------------------------------------------------------

ROLE_SETS: list[dict[str, list[str]]] = [
    {},
    {"g1": ["member"]},
    *({"g1": [role, "member"]} for role in MATRIX["officer_roles"]),
    {"g1": list(MATRIX["group_roles"])},
    {"g2": list(MATRIX["group_roles"])},  # roles in some other group
]
# Every resource shape carries a group type and visibility; the rest comes from the matrix.
BASE_ATTRIBUTES = {
    "group_type": ["neighbourhood_watch", "ward_panel", "community_group"],
    "visibility": ["public", "hidden"],
}
UNKNOWN_ACTION = "membership.group.destroy"


def attribute_values() -> dict[str, list[Any]]:
    """Every attribute a grant constrains, with every value the matrix mentions plus one more."""
    values: dict[str, list[Any]] = {}
    for grants in MATRIX["actions"].values():
        for grant in grants:
            for attribute, allowed in grant.get("where", {}).items():
                values.setdefault(attribute, [])
                values[attribute] += [v for v in allowed if v not in values[attribute]]
    for attribute, seen in values.items():
        if all(isinstance(v, bool) for v in seen):
            values[attribute] = [True, False]
        else:
            seen.append("something_else")
    return values


def resource_shapes(action: str) -> list[dict[str, Any]]:
    values = attribute_values()
    attributes = dict(BASE_ATTRIBUTES)
    for grant in MATRIX["actions"].get(action, []):
        for attribute in grant.get("where", {}):
            attributes[attribute] = values[attribute]
    if action == "membership.group.read":
        attributes["status"] = values["status"]
    attributes["owner"] = [ME, SOMEONE_ELSE]
    if any(grant.get("same_agency") for grant in MATRIX["actions"].get(action, [])):
        attributes["agency"] = ["police", "council-asb"]  # the force's own, and a partner's
    if action in SECOND_PERSON:
        attributes["requested_by"] = [ME, SOMEONE_ELSE]
    attributes["tenant"] = [TENANT, OTHER_TENANT]
    names = sorted(attributes)
    shapes = []
    for i, combo in enumerate(itertools.product(*(attributes[n] for n in names))):
        shape = dict(zip(names, combo, strict=True))
        shapes.append({"type": "group", "id": f"r{i}", "group_id": "g1", **shape})
    return shapes


# Staff kinds are tried with no group roles and with every role (they must count for nothing).
STAFF_ROLE_SETS: list[dict[str, list[str]]] = [{}, {"g1": list(MATRIX["group_roles"])}]


def subjects() -> Iterator[dict[str, Any]]:
    for kind, mfa in itertools.product(MATRIX["kinds"], (True, False)):
        for roles in ROLE_SETS if kind == "member" else STAFF_ROLE_SETS:
            yield {"id": ME, "kind": kind, "tenant": TENANT, "mfa": mfa, "group_roles": roles}


def test_matrix_has_the_design_vocabulary() -> None:
    assert set(MATRIX["kinds"]) == STAFF | {"member", VISITOR}
    assert all(a.count(".") == 2 for a in MATRIX["actions"])
    for action in MATRIX["actions"]:
        if action.startswith("documents."):
            assert all(g["kinds"] == ["member"] for g in MATRIX["actions"][action])


def test_every_cell_keeps_the_invariants(opa: httpx.Client) -> None:
    actions = [*MATRIX["actions"], UNKNOWN_ACTION]
    shapes = {action: resource_shapes(action) for action in actions}
    jobs = [(s, a) for s in subjects() for a in actions]

    def ask(job: tuple[dict[str, Any], str]) -> set[str]:
        return allowed_ids(opa, job[0], job[1], shapes[job[1]])

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(ask, jobs))

    problems: list[str] = []
    cells = 0
    allowed_by_action: dict[str, int] = dict.fromkeys(actions, 0)
    for (subject, action), allowed in zip(jobs, answers, strict=True):
        for resource in shapes[action]:
            cells += 1
            allow = resource["id"] in allowed
            allowed_by_action[action] += allow
            for broken in invariant_violations(subject, action, resource, allow):
                problems.append(f"{broken}: {subject} {action} {resource}")
            if not allow:
                for needed in required_allows(subject, action, resource):
                    problems.append(f"{needed}: {subject} {action} {resource}")
            if allow and not any(subject["kind"] in g["kinds"] for g in MATRIX["actions"][action]):
                problems.append(f"allowed a kind the matrix does not list: {subject} {action}")
    assert not problems, f"{len(problems)} bad cells, e.g.\n" + "\n".join(problems[:20])
    assert cells > 40_000
    assert allowed_by_action.pop(UNKNOWN_ACTION) == 0
    assert all(allowed_by_action.values()), "some action is never allowed in any cell"


def test_batch_and_single_decisions_agree(opa: httpx.Client) -> None:
    """allowed_ids reuses the decision rules: spot-check cells one at a time."""
    for action in ("membership.group.read", "membership.approval.mark", "documents.document.read"):
        shapes = resource_shapes(action)
        for subject in itertools.islice(subjects(), 0, None, 7):
            batch = allowed_ids(opa, subject, action, shapes)
            for resource in shapes[::5]:
                decision = decide(opa, subject, action, resource)
                assert decision["allow"] == (resource["id"] in batch), (subject, action, resource)
                assert decision["reasons"], "every decision explains itself"


# --- Hypothesis: random subjects, actions and resources ------------------------------

KNOWN_ACTIONS = sorted(MATRIX["actions"])
# Mostly well-formed, in-tenant, MFA-satisfied asks (where a wrong allow could hide), with
# some junk a buggy caller might send.
subject_strategy = st.fixed_dictionaries(
    {
        "id": st.sampled_from([ME, ME, SOMEONE_ELSE, ""]),
        "kind": st.sampled_from([*sorted(STAFF), "member", "member", "superuser", None, 0]),
        "tenant": st.sampled_from([TENANT, TENANT, TENANT, OTHER_TENANT, "", None]),
        "mfa": st.sampled_from([True, True, True, False, "true", 1, None]),
        "group_roles": st.dictionaries(
            st.sampled_from(["g1", "g2"]),
            st.lists(st.sampled_from([*MATRIX["group_roles"], "owner"]), max_size=3),
            max_size=2,
        ),
    }
)
# The actions the invariants are about are drawn twice as often.
SENSITIVE = [a for a in KNOWN_ACTIONS if a.startswith("documents.")] + sorted(
    GROUP_RUNNING | APPROVALS | {"membership.group.read", "identity.account.create"}
)
action_strategy = st.sampled_from(
    [*KNOWN_ACTIONS, *SENSITIVE, "documents.document.purge", "identity.tenant.delete", "", "audit"]
)
# A generated resource is an integer decoded digit by digit (mixed radix) into attribute
# choices: Hypothesis draws 100 integers far faster than 100 dictionaries, and shrinking
# towards 0 still shrinks towards the plainest resource.
_ABSENT = object()
RESOURCE_CHOICES: dict[str, list[Any]] = {
    "tenant": [TENANT, TENANT, TENANT, OTHER_TENANT, "", None, _ABSENT],
    "group_id": ["g1", "g2", _ABSENT],
    "owner": [ME, SOMEONE_ELSE, "", _ABSENT],
    "requested_by": [ME, SOMEONE_ELSE, "", _ABSENT],
    **{
        attribute: [*values, None, _ABSENT]
        for attribute, values in (BASE_ATTRIBUTES | attribute_values()).items()
    },
    "status": ["open", "closed", _ABSENT],
    "type": ["group", "document", "account", "ward", "tenant", "message", _ABSENT],
}
RESOURCE_SPACE = math.prod(len(choices) for choices in RESOURCE_CHOICES.values())


def decode_resource(code: int) -> dict[str, Any]:
    resource: dict[str, Any] = {}
    for attribute, choices in RESOURCE_CHOICES.items():
        code, pick = divmod(code, len(choices))
        if choices[pick] is not _ABSENT:
            resource[attribute] = choices[pick]
    return resource


BATCH = 25
EXAMPLES = 440


def test_generated_combinations_keep_the_invariants(opa: httpx.Client) -> None:
    checked: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        subject=subject_strategy,
        action=action_strategy,
        codes=st.lists(st.integers(0, RESOURCE_SPACE - 1), min_size=BATCH, max_size=BATCH),
    )
    def check(subject: dict[str, Any], action: str, codes: list[int]) -> None:
        resources = [{**decode_resource(c), "id": f"r{i}"} for i, c in enumerate(codes)]
        allowed = allowed_ids(opa, subject, action, resources)
        for resource in resources:
            broken = invariant_violations(subject, action, resource, resource["id"] in allowed)
            assert not broken, (broken, subject, action, resource)
        checked.append(len(resources))

    check()
    assert sum(checked) >= 10_000
