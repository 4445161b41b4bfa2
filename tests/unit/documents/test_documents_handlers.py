"""Documents' handlers as far as they go without PostgreSQL: the consumer's wiring, which
membership events make a leaver leave the mailing lists, and the document and mailing list
aggregates decided step by step from events recorded in the in-memory store.

Every command handler (upload, read, delete, forward, the mailing lists) first reads the group,
the caller's roles or the group key from documents' tables with SQL on the pool, so deciding and
recording through them is left to tests/integration; the pool here is never opened.
"""

from __future__ import annotations

from typing import Any, cast

import psycopg
import pytest
from google.protobuf.message import Message

from snp.documents.v1 import events_pb2 as pb
from snp.identity.v1 import events_pb2 as identity_pb
from snp.membership.v1 import events_pb2 as membership_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_documents.adapters.event_streams import document_stream, mailing_list_stream
from snp_documents.adapters.group_keys import GroupKeys
from snp_documents.domain import documents, mailing_lists
from snp_documents.domain.documents import DocumentRuleBroken, InvalidDocument
from snp_documents.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_documents.entrypoints.consumer import CONSUMER_GROUP, subscriptions
from snp_documents.service_layer.context import DocumentsContext
from snp_documents.service_layer.reactions import LeaversLeaveMailingLists
from snp_platform.eventstore import ConcurrencyError, EventMetadata
from snp_platform.eventstore.typed import TypedStreams
from snp_platform.keywrap import ConfiguredKeks
from snp_platform.testing import FakePolicyClient, MemoryEventStore, unopened_pool
from snp_platform.topics import events_topic


def codec_streams(store: MemoryEventStore) -> TypedStreams:
    """Documents' codec over the memory store, without the mailing-list tables (SQL)."""
    return TypedStreams(store, event_type, parse_event, SCHEMA_VERSION)


META = EventMetadata(actor="chair-1")
GROUP = membership_pb.GroupRef(group_id="g1", tenant="met", group_type="community_group")


def context() -> DocumentsContext:
    pool = unopened_pool()
    keys = GroupKeys(pool, ConfiguredKeks({"k1": b"k" * 32}, "k1"))
    policy = FakePolicyClient(lambda _s, _a, _r: False)
    return DocumentsContext(pool, keys, policy, max_document_bytes=1024, segment_bytes=256)


class Untouchable:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the connection was used ({name})")


UNTOUCHABLE = cast(psycopg.Connection[Any], Untouchable())


def envelope(service: str, event: Message, tenant: str = "met") -> EventEnvelope:
    return EventEnvelope(
        event_id="e1",
        event_type=f"{service}.{event.DESCRIPTOR.name}",
        tenant=tenant,
        payload=event.SerializeToString(),
    )


def test_the_consumer_reads_membership_and_identity() -> None:
    wired = subscriptions(context())  # Subscriptions refuses shared or clashing handler names
    assert wired.group_id == CONSUMER_GROUP
    assert set(wired.topics) == {events_topic("membership"), events_topic("identity")}
    [reaction] = wired.reactions
    assert isinstance(reaction, LeaversLeaveMailingLists)
    assert "documents.group-roles-projection" in {p.name for p in wired.projections}


@pytest.mark.parametrize(
    "event",
    [
        envelope("membership", membership_pb.MemberAdmitted(group=GROUP, account_id="a1")),
        envelope("membership", membership_pb.OfficerStoodDown(group=GROUP, account_id="a1")),
        envelope("identity", identity_pb.AccountErased(account_id="a1")),
    ],
)
def test_events_other_than_leaving_change_no_mailing_list(event: EventEnvelope) -> None:
    LeaversLeaveMailingLists(context()).react(UNTOUCHABLE, event)


@pytest.mark.parametrize(
    "event",
    [
        membership_pb.MemberLeft(group=GROUP, account_id="a1", reason="left"),
        membership_pb.MemberRemoved(group=GROUP, account_id="a1", removed_by="chair-1"),
    ],
)
def test_a_leaver_is_looked_for_on_the_groups_lists(event: Message) -> None:
    with pytest.raises(AssertionError, match="connection was used"):
        LeaversLeaveMailingLists(context()).react(UNTOUCHABLE, envelope("membership", event))


def test_a_leaving_event_of_another_tenants_group_is_refused() -> None:
    left = membership_pb.MemberLeft(group=GROUP, account_id="a1")
    with pytest.raises(ValueError, match="another tenant"):
        LeaversLeaveMailingLists(context()).react(
            UNTOUCHABLE, envelope("membership", left, tenant="city-of-london")
        )


def test_a_mailing_list_decided_from_its_recorded_events() -> None:
    streams = codec_streams(MemoryEventStore())
    stream = mailing_list_stream("met", "l1")
    current = {"a", "b", "c"}

    def step(decide: Any) -> mailing_lists.MailingList | None:
        history, version = streams.load(stream)
        streams.append(stream, decide(mailing_lists.fold(history)), version, META)
        return mailing_lists.fold(streams.load(stream)[0])

    created = mailing_lists.create("l1", "g1", b"sealed", ["b", "a"], current, "chair-1")
    streams.append(stream, created, 0, META)
    assert step(lambda s: mailing_lists.replace_members(s, ["a", "c"], current, "chair-1")) == (
        mailing_lists.MailingList("l1", "g1", frozenset({"a", "c"}))
    )
    left = step(lambda s: mailing_lists.member_left_group(s, "a"))
    assert left is not None and left.members == {"c"}
    assert step(lambda s: mailing_lists.member_left_group(s, "a")) == left  # not on it: nothing
    deleted = step(lambda s: mailing_lists.delete(s, "chair-1"))
    assert deleted is not None and deleted.deleted
    assert streams.load(stream)[1] == 4
    with pytest.raises(DocumentRuleBroken):
        step(lambda s: mailing_lists.replace_members(s, ["c"], current, "chair-1"))
    assert mailing_lists.member_left_group(deleted, "c") == []
    with pytest.raises(InvalidDocument):  # only current members of the group
        mailing_lists.create("l2", "g1", b"sealed", ["stranger"], current, "chair-1")


def test_a_document_decided_from_its_recorded_events() -> None:
    store = MemoryEventStore()
    streams = codec_streams(store)
    stream = document_stream("met", "d1")
    stored = pb.DocumentStored(
        document_id="d1", group_id="g1", audience="officers", title=pb.SealedText(ciphertext=b"t")
    )
    streams.append(stream, [stored], 0, META)
    history, version = streams.load(stream)
    [forwarded] = documents.forward(documents.fold(history), "l1", "g1", ["b", "a"], "chair-1")
    streams.append(stream, [forwarded], version, META)
    assert isinstance(forwarded, pb.DocumentForwarded) and forwarded.audience == "officers"

    history, version = streams.load(stream)
    deletion = documents.delete(documents.fold(history), "chair-1")
    streams.append(stream, deletion, version, META)
    with pytest.raises(ConcurrencyError):  # a second deleter who read before the first
        streams.append(stream, deletion, version, META)
    final = documents.fold(streams.load(stream)[0])
    assert final is not None and final.deleted and final.title == b"t"
    with pytest.raises(DocumentRuleBroken):
        documents.forward(final, "l1", "g1", ["a"], "chair-1")
    assert [e.event_type for e in store.read_after(0)] == [
        "documents.DocumentStored",
        "documents.DocumentForwarded",
        "documents.DocumentDeleted",
    ]
