"""Membership's handlers as far as they go without PostgreSQL: the policy asked with the right
input and obeyed, bad input refused before the policy or the database, the consumer's wiring,
and the domain's events through the event store with membership's codec.

Every handler loads the group from the group tables (SQL on the pool) before it decides, so
deciding and recording are left to tests/integration; the pool here is never opened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import psycopg
import pytest
from google.protobuf.message import Message
from psycopg_pool import PoolClosed

from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_membership.adapters.event_streams import membership_streams
from snp_membership.adapters.projections import KnownAccountsProjection
from snp_membership.domain import founding, joining, offices
from snp_membership.domain.events import EVENT_TYPES, SCHEMA_VERSION, event_type, parse_event
from snp_membership.domain.model import Group, InvalidGroupInput, Standing
from snp_membership.entrypoints.consumer import CONSUMER_GROUP, subscriptions
from snp_membership.service_layer.context import MembershipContext
from snp_membership.service_layer.groups import create_group
from snp_membership.service_layer.reactions import ErasedAccountsLeaveGroups
from snp_platform.eventstore import NO_STREAM, EventMetadata, Stream
from snp_platform.eventstore.typed import TypedStreams
from snp_platform.opa import Decision
from snp_platform.problems import Problem
from snp_platform.projections import wants
from snp_platform.testing import FakePolicyClient, MemoryEventStore, unopened_pool
from snp_platform.tokens import Principal
from snp_platform.topics import events_topic

META = EventMetadata(actor="acct-1")
WATCH = founding.NewGroup("neighbourhood_watch", "E05000138", "Bloomsbury", "Square Watch")
PANEL = founding.NewGroup("ward_panel", "E05000138", "Bloomsbury", "Bloomsbury Panel")


class NoNames:
    def display_names(self, tenant: str, account_ids: list[str]) -> dict[str, str]:
        raise AssertionError("the directory is not asked here")


def principal(kind: str = "member", tenant: str = "met", mfa: bool = False) -> Principal:
    now = datetime.now(UTC)
    amr = ("pwd", "otp") if mfa else ("pwd",)
    return Principal("acct-1", tenant, kind, amr, "jti-1", now + timedelta(minutes=5), now)


def context(policy: FakePolicyClient) -> MembershipContext:
    return MembershipContext(
        unopened_pool(), membership_streams(MemoryEventStore()), policy, NoNames()
    )


def test_founding_asks_the_policy_with_the_callers_subject_and_obeys_a_deny() -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: Decision(False, ("not_allowed_kind",)))
    ctx = context(policy)
    with pytest.raises(Problem) as raised:
        create_group(ctx, principal("police", mfa=True), WATCH, None, META)
    assert raised.value.status == 403 and raised.value.type_uri.endswith(":forbidden")
    assert "reasons" not in raised.value.extra  # the policy's reason is logged, never sent
    [asked] = policy.asked
    assert asked.query == "decision"
    assert asked.input == {
        "subject": {
            "id": "acct-1",
            "kind": "police",
            "tenant": "met",
            "mfa": True,
            "group_roles": {},
        },
        "action": "membership.group.create",
        "resource": {"type": "group", "tenant": "met", "group_type": "neighbourhood_watch"},
    }
    assert ctx.streams.store.last_position() == 0  # and the unopened pool was never touched


def test_an_allowed_founding_goes_on_to_the_database() -> None:
    policy = FakePolicyClient(table={"membership.group.create": True})
    with pytest.raises(PoolClosed):  # where a unit test must stop: the group tables are SQL
        create_group(context(policy), principal("police", mfa=True), PANEL, "resident-7", META)
    assert policy.asked[0].input["resource"]["group_type"] == "ward_panel"


@pytest.mark.parametrize(
    ("spec", "first_chair"),
    [
        (founding.NewGroup("book_club", "E05000138", "Bloomsbury", "Readers"), None),
        (founding.NewGroup("community_group", "no spaces", "Bloomsbury", "Group"), None),
        (WATCH, "resident-7"),  # only a ward panel is given its first chair by name
        (PANEL, None),  # and a ward panel must be
    ],
)
def test_invalid_founding_is_refused_before_the_policy_is_asked(
    spec: founding.NewGroup, first_chair: str | None
) -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: True)
    with pytest.raises(InvalidGroupInput):
        create_group(context(policy), principal("police", mfa=True), spec, first_chair, META)
    assert policy.asked == []


def test_the_consumer_reads_identity_and_erases_through_the_given_store() -> None:
    store = MemoryEventStore()
    wired = subscriptions(store)  # Subscriptions refuses shared or clashing handler names
    assert wired.group_id == CONSUMER_GROUP
    assert list(wired.topics) == [events_topic("identity")]
    [reaction] = wired.reactions
    assert isinstance(reaction, ErasedAccountsLeaveGroups)
    assert {p.name for p in wired.projections} >= {"membership.known-accounts"}


class Untouchable:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the connection was used ({name})")


@pytest.mark.parametrize(
    "event",
    [
        identity_pb.AccountDisabled(account_id="a1", disabled_by="admin"),
        identity_pb.RoleRevoked(account_id="a1", role="police", revoked_by="admin"),
    ],
)
def test_only_an_erasure_makes_an_account_leave_its_groups(event: Message) -> None:
    store = MemoryEventStore()
    envelope = EventEnvelope(
        event_id="e1",
        event_type=f"identity.{event.DESCRIPTOR.name}",
        tenant="met",
        payload=event.SerializeToString(),
    )
    conn = cast(psycopg.Connection[Any], Untouchable())
    ErasedAccountsLeaveGroups(store).react(conn, envelope)
    assert store.last_position() == 0


def group_after(events: list[Message], version: int) -> Group:
    """The group as the projection would hold it after founding and the appointments here."""
    created = cast(Any, events[0])
    return Group(
        group_id=created.group.group_id,
        tenant=created.group.tenant,
        group_type=created.group.group_type,
        ward_code=created.group.ward_code,
        ward_name=created.group.ward_name,
        name=created.name,
        description="",
        visibility="public",
        directory="officers",
        status="open",
        version=version,
        officers={created.first_officer: frozenset({"coordinator"})},
    )


def test_every_event_the_domain_decides_is_recorded_and_read_back_by_the_codec() -> None:
    streams = TypedStreams(MemoryEventStore(), event_type, parse_event, SCHEMA_VERSION)
    stream = Stream("met", "g1")
    decided: list[Message] = founding.create_group("g1", "met", WATCH, "alice", "alice")
    streams.append(stream, decided, NO_STREAM, META)
    group = group_after(decided, 3)
    bob = Standing("bob")
    steps = [
        joining.request_join(group, bob, "r1"),
        joining.admit(group, Standing("bob", pending_request="r1"), "r1", "alice"),
        offices.appoint(group, Standing("bob", is_member=True), "coordinator", "alice"),
        offices.mark(group, None, "group", "police", "police-1"),
        joining.erase_account(group, Standing("alice", is_member=True)),  # the last leader
    ]
    for events in steps:
        _, version = streams.load(stream)
        streams.append(stream, events, version, META)
        decided += events
    loaded, version = streams.load(stream)
    assert loaded == decided and version == len(decided)
    assert {type(e).__name__ for e in decided} >= {"GroupNeedsOfficer", "OfficerStoodDown"}
    assert {event_type(e) for e in decided} <= set(EVENT_TYPES)


def test_known_accounts_take_forces_and_accounts_but_not_contact_releases() -> None:
    known = KnownAccountsProjection()
    for taken in ("TenantRegistered", "AccountRegistered", "AccountErased"):
        assert wants(known, f"identity.{taken}"), taken
    for passed_over in ("ContactsBatchReleased", "ContactsReleased", "PasswordResetRequested"):
        assert not wants(known, f"identity.{passed_over}"), passed_over
