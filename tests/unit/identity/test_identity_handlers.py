"""Identity's handlers over the in-memory event store: tenants end to end, and the parts of the
account handlers that decide before they write (the writes themselves run SQL on the pool, so
they are left to tests/integration). The pool here is never opened: touching it fails."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from psycopg_pool import PoolClosed

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters.event_streams import IdentityStreams, account_stream, tenant_stream
from snp_identity.adapters.membership import MembershipUnavailable
from snp_identity.domain import accounts
from snp_identity.domain.contacts import Contact
from snp_identity.domain.tenants import TenantRuleBroken
from snp_identity.service_layer import accounts as account_handlers
from snp_identity.service_layer.context import (
    IdentityContext,
    InvalidInput,
    LeadershipUnknown,
    NotFound,
)
from snp_identity.service_layer.tenants import register_tenant, tenant_exists
from snp_platform.eventstore import ConcurrencyError, EventMetadata, RecordedEvent, Stream
from snp_platform.keywrap import ConfiguredKeks, generate_config
from snp_platform.testing import MemoryEventStore, unopened_pool

META = EventMetadata(actor="operator-1", correlation_id="corr-1")
CONTACT = pb.EncryptedContact(display_name=b"\x01sealed", email=b"\x01sealed")


@dataclass
class MemoryIdentity(IdentityContext):  # type: ignore[misc, unused-ignore]  # Any without MYPYPATH
    """Identity's wiring with its streams in memory; its pool is never opened."""

    memory: MemoryEventStore = field(default_factory=MemoryEventStore)

    @property
    def streams(self) -> IdentityStreams:
        return IdentityStreams(self.memory)


def context() -> MemoryIdentity:
    return MemoryIdentity(
        pool=unopened_pool(),
        keks=ConfiguredKeks.from_config(generate_config()),
        index_key=b"k" * 32,
        issuer="test",
    )


# --- tenants: the whole handler runs on streams ---


def test_a_tenant_is_registered_once_in_its_own_stream() -> None:
    store = MemoryEventStore()
    streams = IdentityStreams(store)
    assert not tenant_exists(streams, "met")
    register_tenant(streams, "met", "  Metropolitan Police  ", META)

    [event] = store.load(tenant_stream("met"))
    assert event.stream == Stream("met", "tenant:met")
    assert (event.event_type, event.stream_version, event.metadata) == (
        "identity.TenantRegistered",
        1,
        META,
    )
    assert pb.TenantRegistered.FromString(event.payload) == pb.TenantRegistered(
        slug="met", display_name="Metropolitan Police"
    )
    assert tenant_exists(streams, "met")
    assert not tenant_exists(streams, "city-of-london")

    with pytest.raises(TenantRuleBroken, match="already registered"):
        register_tenant(streams, "met", "Again", META)
    assert store.last_position() == 1


@pytest.mark.parametrize("slug", ["platform", "M", "met_police", "-met", "x" * 51])
def test_a_reserved_or_malformed_slug_records_nothing(slug: str) -> None:
    store = MemoryEventStore()
    with pytest.raises(TenantRuleBroken):
        register_tenant(IdentityStreams(store), slug, "A force", META)
    assert store.last_position() == 0


class RivalWinsTheRace(MemoryEventStore):
    """Between our load and our append, another operator registers the same slug."""

    def __init__(self) -> None:
        super().__init__()
        self.rival_done = False

    def load(self, stream: Stream, after_version: int = 0) -> list[RecordedEvent]:
        seen = super().load(stream, after_version)
        if not self.rival_done:
            self.rival_done = True
            register_tenant(IdentityStreams(self), "met", "Rival", META)
        return seen


def test_two_operators_racing_for_a_slug_one_gets_a_conflict() -> None:
    store = RivalWinsTheRace()
    with pytest.raises(ConcurrencyError) as raised:
        register_tenant(IdentityStreams(store), "met", "Ours", META)
    assert (raised.value.expected_version, raised.value.actual_version) == (0, 1)
    [only] = store.load(tenant_stream("met"))
    assert pb.TenantRegistered.FromString(only.payload).display_name == "Rival"


# --- accounts: loaded and decided from the events, refused before anything is written ---


def record_account(ctx: MemoryIdentity, tenant: str, account_id: str, kind: str) -> None:
    events = accounts.register(accounts.Account(account_id), kind, CONTACT, "admin")
    ctx.streams.append(account_stream(tenant, account_id), events, 0, META)


def test_an_account_is_folded_from_its_stream_with_its_version() -> None:
    ctx = context()
    record_account(ctx, "met", "a1", "police")
    state, version = account_handlers.load(ctx, "met", "a1")
    assert (state.kind, state.status, state.roles, version) == (
        "police",
        accounts.Status.ACTIVE,
        frozenset({"police"}),
        2,
    )
    assert state.version == version  # the projection's version is the stream's


def test_another_tenants_or_an_unknown_account_is_not_found() -> None:
    ctx = context()
    record_account(ctx, "met", "a1", "member")
    with pytest.raises(NotFound):
        account_handlers.load(ctx, "city-of-london", "a1")
    with pytest.raises(NotFound):
        account_handlers.load(ctx, "met", "a2")
    with pytest.raises(NotFound):  # a change to another tenant's account is not even decided
        account_handlers.change(
            ctx, "city-of-london", "a1", lambda a: accounts.disable(a, "admin"), META
        )


def test_a_change_the_account_refuses_is_refused_before_any_write() -> None:
    ctx = context()
    record_account(ctx, "met", "a1", "member")
    erase = accounts.erase(account_handlers.load(ctx, "met", "a1")[0], "a1")
    ctx.streams.append(account_stream("met", "a1"), erase, 1, META)
    with pytest.raises(accounts.AccountRuleBroken, match="erased"):
        account_handlers.change(ctx, "met", "a1", lambda a: accounts.disable(a, "admin"), META)
    record_account(ctx, "met", "a2", "member")
    with pytest.raises(accounts.AccountRuleBroken, match="no authenticator enrolment"):
        account_handlers.change(ctx, "met", "a2", accounts.confirm_totp, META)
    assert ctx.memory.last_position() == 3  # the pool was never opened: nothing else either


def test_registration_refuses_bad_input_before_touching_the_database() -> None:
    ctx = context()
    with pytest.raises(InvalidInput) as raised:
        account_handlers.register_account(
            ctx, "met", "member", Contact("Ann", "not-an-email"), "password", META
        )
    assert len(raised.value.problems) >= 2  # the email and the weak password, both reported
    assert ctx.memory.last_position() == 0


def test_an_accounts_life_decided_step_by_step_from_the_recorded_events() -> None:
    ctx = context()
    stream = account_stream("met", "a1")
    steps: list[accounts.Decision] = [
        lambda a: accounts.register(a, "police", CONTACT, "admin"),
        accounts.start_totp_enrolment,
        accounts.confirm_totp,
        lambda a: accounts.revoke_role(a, "police", "admin"),
        lambda a: accounts.grant_role(a, "police", "admin"),
        lambda a: accounts.grant_role(a, "police", "admin"),  # again: nothing to record
        lambda a: accounts.disable(a, "admin"),
        lambda a: accounts.erase(a, "admin"),
    ]
    for decide in steps:
        history, version = ctx.streams.load(stream)
        ctx.streams.append(stream, decide(accounts.fold("a1", history)), version, META)
    history, version = ctx.streams.load(stream)
    final = accounts.fold("a1", history)
    assert (final.status, final.roles, final.totp, final.version) == (
        accounts.Status.ERASED,
        frozenset(),
        accounts.TotpState.NONE,
        version,
    )
    assert version == 8  # register + role, totp x2, revoke, grant, disable, erase
    with pytest.raises(ConcurrencyError):  # a decision made on an older state is refused
        ctx.streams.append(stream, accounts.erase(accounts.fold("a1", history[:3]), "x"), 3, META)


class FakeLeadership:
    """Membership's answer, as identity's erasure asks for it."""

    def __init__(self, led: list[accounts.LedGroup] | None = None, down: bool = False) -> None:
        self.led, self.down = led or [], down
        self.asked: list[tuple[str, str]] = []

    def groups_led_alone(self, tenant: str, account_id: str) -> list[accounts.LedGroup]:
        self.asked.append((tenant, account_id))
        if self.down:
            raise MembershipUnavailable("UNAVAILABLE")
        return self.led


def test_a_last_leaders_own_erasure_is_refused_before_any_write() -> None:
    ctx = context()
    record_account(ctx, "met", "a1", "member")
    led = [accounts.LedGroup("g1", "Elm Street Watch", "coordinator")]
    ctx.leadership = FakeLeadership(led)
    with pytest.raises(accounts.LastLeader) as refused:
        account_handlers.erase(ctx, "met", "a1", "a1", META)
    assert refused.value.groups == tuple(led)
    assert ctx.leadership.asked == [("met", "a1")]
    assert ctx.memory.last_position() == 1  # only the registration: nothing was recorded


def test_a_self_erasure_waits_when_membership_cannot_be_asked() -> None:
    ctx = context()
    record_account(ctx, "met", "a1", "member")
    with pytest.raises(LeadershipUnknown):  # no client configured: identity does not guess
        account_handlers.erase(ctx, "met", "a1", "a1", META)
    ctx.leadership = FakeLeadership(down=True)
    with pytest.raises(LeadershipUnknown):
        account_handlers.erase(ctx, "met", "a1", "a1", META)
    assert ctx.memory.last_position() == 1


def test_an_admins_erasure_does_not_ask_membership() -> None:
    ctx = context()
    record_account(ctx, "met", "a1", "member")
    leadership = FakeLeadership([accounts.LedGroup("g1", "Elm Street Watch", "coordinator")])
    ctx.leadership = leadership
    with pytest.raises(PoolClosed):  # decided, then where a unit test stops: the SQL write
        account_handlers.erase(ctx, "met", "a1", "admin-1", META)
    assert leadership.asked == []
