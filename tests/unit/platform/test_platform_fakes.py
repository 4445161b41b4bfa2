"""The policy fake answers as it is told and records what OPA would have been asked; and
Subscriptions feeds each handler once per event id under its own name (checked here over a
stand-in for processed_events; the SQL itself is tests/integration/test_projections.py's)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import psycopg
import pytest

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.authz import authorize
from snp_platform.opa import DENY_UNAVAILABLE, Decision
from snp_platform.problems import Problem
from snp_platform.projections import Subscriptions
from snp_platform.testing import FakePolicyClient
from snp_platform.testing.fake_policy import ALLOWED, DENIED
from snp_platform.tokens import Principal

SUBJECT = {"id": "p1", "kind": "police", "tenant": "met", "mfa": True, "group_roles": {}}


def group(gid: str, tenant: str = "met") -> dict[str, Any]:
    return {"type": "group", "id": gid, "tenant": tenant, "group_id": gid}


# --- FakePolicyClient ---


def test_a_table_allows_what_it_names_and_denies_everything_else() -> None:
    reasons = Decision(False, ("not_an_officer",))
    policy = FakePolicyClient(
        table={"membership.group.read": True, "membership.group.update": reasons}
    )
    read = policy.decide(SUBJECT, "membership.group.read", group("g1"))
    assert read.allow is True and read.reasons == (ALLOWED,)
    assert policy.decide(SUBJECT, "membership.group.update", group("g1")) == reasons
    unnamed = policy.decide(SUBJECT, "documents.document.read", group("g1"))
    assert unnamed.allow is False and unnamed.reasons == (DENIED,)
    with pytest.raises(ValueError, match="rule or a table"):
        FakePolicyClient()
    with pytest.raises(ValueError, match="rule or a table"):
        FakePolicyClient(lambda _s, _a, _r: True, table={})


def test_the_rule_sees_and_the_record_keeps_the_input_as_opa_would_get_it() -> None:
    seen: list[Any] = []

    def rule(subject: Any, action: str, resource: Any) -> bool:
        seen.append(resource)
        return bool(subject["mfa"])

    policy = FakePolicyClient(rule)
    subject = dict(SUBJECT, group_roles={"g1": ("chair",)})
    assert policy.decide(subject, "membership.group.update", {"id": "g1", "tags": ("a",)}).allow
    subject["mfa"] = False  # changing the caller's dict afterwards changes nothing recorded
    [asked] = policy.asked
    assert asked.query == "decision"
    assert asked.input == {
        "subject": dict(SUBJECT, group_roles={"g1": ["chair"]}),
        "action": "membership.group.update",
        "resource": {"id": "g1", "tags": ["a"]},
    }
    assert seen == [{"id": "g1", "tags": ["a"]}]  # JSON: tuples arrive as lists


@pytest.mark.parametrize("resource", [{"id": object()}, {"score": math.nan}])
def test_input_json_cannot_carry_is_the_real_clients_deny(resource: dict[str, Any]) -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: True)
    assert policy.decide(SUBJECT, "membership.group.read", resource) == DENY_UNAVAILABLE
    assert policy.allowed_ids(SUBJECT, "membership.group.read", [resource]) == frozenset()
    assert policy.asked == []  # it never reached OPA


def test_allowed_ids_asks_the_rule_per_resource_and_returns_only_ids_asked_about() -> None:
    policy = FakePolicyClient(lambda s, _a, r: r.get("tenant") == s["tenant"])
    resources = [group("g1"), group("g2", "city-of-london"), group("g3"), {"tenant": "met"}]
    assert policy.allowed_ids(SUBJECT, "membership.group.read", resources) == {"g1", "g3"}
    [asked] = policy.asked
    assert asked.query == "allowed_ids" and len(asked.input["resources"]) == 4
    assert policy.allowed_ids(SUBJECT, "membership.group.read", []) == frozenset()
    assert len(policy.asked) == 1  # an empty list is not asked about, as with the real client


def test_an_unavailable_policy_denies_everything() -> None:
    with FakePolicyClient.unavailable() as policy:
        assert policy.decide(SUBJECT, "membership.group.read", group("g1")) == DENY_UNAVAILABLE
        assert policy.allowed_ids(SUBJECT, "membership.group.read", [group("g1")]) == set()


def test_the_fake_drives_authorize_like_opa_does() -> None:
    now = datetime.now(UTC)
    police = Principal("p1", "met", "police", ("pwd", "otp"), "j", now + timedelta(hours=1), now)
    cross = FakePolicyClient(lambda _s, _a, _r: Decision(False, ("cross_tenant",)))
    with pytest.raises(Problem) as hidden:
        authorize(cross, police, "membership.group.read", group("g1", "city-of-london"))
    assert hidden.value.status == 404  # another tenant's resource is not confirmed to exist
    allowing = FakePolicyClient(table={"membership.group.read": True})
    assert authorize(allowing, police, "membership.group.read", group("g1")).allow
    assert allowing.asked[0].input["subject"]["mfa"] is True


# --- Subscriptions: each handler once per event id, under its own name ---


class ProcessedEvents:
    """Stands in for a connection to processed_events, as `first_time` uses it, noting each
    projection lock taken (`hold_projection`)."""

    def __init__(self) -> None:
        self.rows: set[tuple[str, str]] = set()
        self.locks: list[str] = []

    def execute(self, query: str, params: tuple[Any, ...]) -> Any:
        if query.startswith("SELECT pg_advisory_xact_lock_shared(hashtextextended("):
            self.locks.append(params[0])
            return None
        assert query.startswith("INSERT INTO processed_events")
        inserted = params not in self.rows
        self.rows.add(params)
        return type("Cursor", (), {"rowcount": int(inserted)})()

    def forget(self, handler: str) -> None:
        """What a projection's rebuild does: forget that projection's ids only."""
        self.rows = {row for row in self.rows if row[0] != handler}


class Handler:
    def __init__(self, name: str, calls: list[tuple[str, str]]) -> None:
        self.name, self.calls = name, calls

    def reset(self, conn: psycopg.Connection[Any]) -> None: ...

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        self.calls.append((self.name, envelope.event_id))

    def react(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        self.calls.append((self.name, envelope.event_id))


def test_each_handler_runs_once_per_event_and_a_rebuild_never_reruns_a_reaction() -> None:
    calls: list[tuple[str, str]] = []
    wired = Subscriptions(
        "group",
        topics=["t"],
        projections=[Handler("rows", calls), Handler("counts", calls)],
        reactions=[Handler("notify", calls)],
    )
    processed = ProcessedEvents()
    conn = cast(psycopg.Connection[Any], processed)
    first, second = EventEnvelope(event_id="e1"), EventEnvelope(event_id="e2")
    wired(conn, first)
    wired(conn, first)  # a duplicate delivery
    wired(conn, second)
    assert calls == [
        ("rows", "e1"),
        ("counts", "e1"),
        ("notify", "e1"),
        ("rows", "e2"),
        ("counts", "e2"),
        ("notify", "e2"),
    ]
    # Each projection's lock is held shared for every event it is offered, reactions take none.
    assert processed.locks == ["rows", "counts"] * 3
    processed.forget("rows")  # `rows` is rebuilt from the start
    calls.clear()
    wired(conn, first)
    assert calls == [("rows", "e1")]


class Picky(Handler):
    """A handler that names the event types it takes."""

    def __init__(self, name: str, calls: list[tuple[str, str]], *types: str) -> None:
        super().__init__(name, calls)
        self.event_types = types


def test_a_handler_naming_its_event_types_is_offered_no_others_and_records_nothing_for_them() -> (
    None
):
    calls: list[tuple[str, str]] = []
    wired = Subscriptions(
        "group",
        topics=["t"],
        projections=[Picky("roles", calls, "membership."), Handler("all", calls)],
        reactions=[Picky("erased", calls, "identity.AccountErased")],
    )
    processed = ProcessedEvents()
    conn = cast(psycopg.Connection[Any], processed)
    for event_id, kind in [
        ("e1", "membership.MemberAdded"),
        ("e2", "identity.AccountErased"),
        ("e3", "identity.AccountErasedLater"),  # a name that merely starts like a wanted one
        ("e4", "membershipx.Other"),  # a prefix counts only up to its dot
    ]:
        wired(conn, EventEnvelope(event_id=event_id, event_type=kind))
    assert calls == [
        ("roles", "e1"),
        ("all", "e1"),
        ("all", "e2"),
        ("erased", "e2"),
        ("all", "e3"),
        ("all", "e4"),
    ]
    # No lock and no processed_events row for an event a handler was not offered.
    assert processed.locks == ["roles", "all", "all", "all", "all"]
    assert {row for row in processed.rows if row[0] != "all"} == {("roles", "e1"), ("erased", "e2")}


@pytest.mark.parametrize(
    ("projections", "reactions"),
    [(["a", "a"], []), (["a"], ["a"]), (["group"], []), ([], ["group"])],
)
def test_handler_names_must_be_distinct_and_not_the_group_id(
    projections: list[str], reactions: list[str]
) -> None:
    calls: list[tuple[str, str]] = []
    with pytest.raises(ValueError, match="distinct"):
        Subscriptions(
            "group",
            topics=["t"],
            projections=[Handler(n, calls) for n in projections],
            reactions=[Handler(n, calls) for n in reactions],
        )
