"""Messaging's handlers as far as they go without PostgreSQL: the policy asked with the right
input and obeyed, drafts refused before anything is asked, the consumer's wiring, and which
events its reactions act on.

Every recording path (sending, preferences, receipts, contact problems, forwarded documents)
appends through `event_streams.record(store, conn, ...)` inside a transaction on the pool, next
to SQL on messaging's tables, so none records through the in-memory store; they are left to
tests/integration, and the pool here is never opened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import psycopg
import pytest
from google.protobuf.message import Message
from psycopg_pool import PoolClosed

from snp.documents.v1 import events_pb2 as documents_pb
from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import event_streams
from snp_messaging.adapters.directory import Directory
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.adapters.projections import RecipientsProjection
from snp_messaging.domain.messages import Audience, AudienceType, Draft, MessageType, Priority
from snp_messaging.entrypoints.consumer import CONSUMER_GROUP, subscriptions
from snp_messaging.service_layer import preferences
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_messaging.service_layer.events_notices import EngagementEventNotices
from snp_messaging.service_layer.reactions import (
    AuthenticatorResetsMailed,
    ChangedAddressesClearProblems,
    ErasedAccountsAreForgotten,
    ForwardedDocumentsNotify,
    PasswordResetsMailed,
)
from snp_messaging.service_layer.report_notices import ReportStepsNotifyReporter
from snp_messaging.service_layer.sending import send_message
from snp_messaging.settings import MessagingSettings
from snp_platform.eventstore import EventMetadata
from snp_platform.opa import Decision
from snp_platform.problems import Problem
from snp_platform.projections import wants
from snp_platform.testing import FakePolicyClient, MemoryEventStore, unopened_pool
from snp_platform.tokens import Principal
from snp_platform.topics import events_topic

META = EventMetadata(actor="acct-1")


def principal(kind: str = "member", tenant: str = "met") -> Principal:
    now = datetime.now(UTC)
    return Principal("acct-1", tenant, kind, ("pwd",), "jti-1", now + timedelta(minutes=5), now)


def context(policy: FakePolicyClient) -> MessagingContext:
    directory = cast(Directory, object())  # identity's gRPC directory: not reached here
    return MessagingContext(unopened_pool(), policy, directory, MessagingSettings())


class Untouchable:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the connection was used ({name})")


UNTOUCHABLE = cast(psycopg.Connection[Any], Untouchable())


def envelope(service: str, event: Message) -> EventEnvelope:
    return EventEnvelope(
        event_id="e1",
        event_type=f"{service}.{event.DESCRIPTOR.name}",
        tenant="met",
        payload=event.SerializeToString(),
    )


def test_preferences_are_the_callers_own_and_a_deny_stops_before_the_database() -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: Decision(False, ("not_the_owner",)))
    ctx = context(policy)
    with pytest.raises(Problem) as read:
        preferences.read(ctx, principal())
    with pytest.raises(Problem):
        preferences.replace(ctx, principal(), ["email"], [], Priority.LOW, META)
    assert read.value.status == 403 and read.value.type_uri.endswith(":forbidden")
    assert "reasons" not in read.value.extra  # logged, never sent
    expected = {
        "subject": {
            "id": "acct-1",
            "kind": "member",
            "tenant": "met",
            "mfa": False,
            "group_roles": {},
        },
        "action": "messaging.preferences.manage",
        "resource": {"type": "preferences", "id": "acct-1", "tenant": "met", "owner": "acct-1"},
    }
    assert [a.input for a in policy.asked] == [expected, expected]


def test_allowed_preferences_go_on_to_the_database() -> None:
    policy = FakePolicyClient(table={"messaging.preferences.manage": True})
    with pytest.raises(PoolClosed):  # where a unit test must stop: preferences are SQL rows
        preferences.read(context(policy), principal())


TENANT, TO_AN_EVENT = Audience(AudienceType.TENANT, ""), Audience(AudienceType.EVENT, "e1")


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (Draft(" ", "b", MessageType.ALERT, Priority.HIGH, TENANT), "subject must not be empty"),
        (Draft("s", "b", MessageType.DOCUMENT, Priority.LOW, TENANT), "forwarded documents only"),
        (Draft("s", "b", MessageType.ALERT, Priority.LOW, TO_AN_EVENT), "the event's own changes"),
        (Draft("s", "b", MessageType.ALERT, Priority.LOW, TENANT, ("a", "a")), "listed twice"),
    ],
)
def test_a_draft_that_cannot_be_sent_is_refused_before_anything_is_asked(
    draft: Draft, problem: str
) -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: True)
    with pytest.raises(InvalidInput) as raised:
        send_message(context(policy), principal("police"), draft, META)
    assert any(problem in p for p in raised.value.problems)
    assert policy.asked == []


def test_the_consumer_reads_identity_membership_documents_and_engagement() -> None:
    store = MemoryEventStore()
    wired = subscriptions(
        MessagingStreams(store), "http://portal.test"
    )  # refuses clashing handler names
    assert wired.group_id == CONSUMER_GROUP
    services = ("identity", "membership", "documents", "engagement")
    assert list(wired.topics) == [events_topic(s) for s in services]
    assert [type(r) for r in wired.reactions] == [
        ForwardedDocumentsNotify,
        ErasedAccountsAreForgotten,
        ChangedAddressesClearProblems,
        PasswordResetsMailed,
        AuthenticatorResetsMailed,
        ReportStepsNotifyReporter,
        EngagementEventNotices,
    ]


FORWARDED = documents_pb.DocumentForwarded(
    document_id="d1", group_id="g1", mailing_list_id="l1", forwarded_by="chair-1"
)


@pytest.mark.parametrize(
    "event",
    [
        envelope("documents", documents_pb.DocumentDeleted(document_id="d1", group_id="g1")),
        envelope("identity", identity_pb.AccountDisabled(account_id="a1")),
        envelope("documents", FORWARDED),  # forwarded to nobody: no notification
    ],
)
def test_reactions_leave_other_events_alone(event: EventEnvelope) -> None:
    store = MemoryEventStore()
    ForwardedDocumentsNotify(MessagingStreams(store), "http://portal.test").react(
        UNTOUCHABLE, event
    )
    ErasedAccountsAreForgotten().react(UNTOUCHABLE, event)
    ChangedAddressesClearProblems(MessagingStreams(store)).react(UNTOUCHABLE, event)
    PasswordResetsMailed(MessagingStreams(store), "http://portal.test").react(UNTOUCHABLE, event)
    assert store.last_position() == 0


def test_a_forwarded_document_and_an_erasure_are_acted_on() -> None:
    to_members = documents_pb.DocumentForwarded()
    to_members.CopyFrom(FORWARDED)
    to_members.recipient_account_ids.extend(["a", "b"])
    notify = ForwardedDocumentsNotify(MessagingStreams(MemoryEventStore()), "http://documents.test")
    with pytest.raises(AssertionError, match="connection was used"):
        notify.react(UNTOUCHABLE, envelope("documents", to_members))
    with pytest.raises(AssertionError, match="connection was used"):
        ErasedAccountsAreForgotten().react(
            UNTOUCHABLE, envelope("identity", identity_pb.AccountErased(account_id="a1"))
        )
    changed = identity_pb.ContactUpdated(account_id="a1", changed=["email"])
    with pytest.raises(AssertionError, match="connection was used"):
        ChangedAddressesClearProblems(MessagingStreams(MemoryEventStore())).react(
            UNTOUCHABLE, envelope("identity", changed)
        )
    reset = identity_pb.PasswordResetRequested(account_id="a1", reset_id="r1", token="t" * 43)
    with pytest.raises(AssertionError, match="connection was used"):
        PasswordResetsMailed(MessagingStreams(MemoryEventStore()), "http://portal.test").react(
            UNTOUCHABLE, envelope("identity", reset)
        )


def test_recipients_take_identitys_forces_agencies_and_accounts_but_not_its_contact_releases() -> (
    None
):
    recipients = RecipientsProjection()
    for taken in (
        "identity.TenantRegistered",
        "identity.AgencyRegistered",
        "identity.AgencyRenamed",
        "identity.AgencyRetired",
        "identity.AccountRegistered",
        "identity.AccountErased",
        "membership.MemberAdmitted",
    ):
        assert wants(recipients, taken), taken
    for passed_over in ("identity.ContactsBatchReleased", "identity.ContactsReleased"):
        assert not wants(recipients, passed_over), passed_over


@pytest.mark.parametrize(
    "stream_of",
    [
        event_streams.provider_defaults_stream,
        event_streams.alert_rules_stream,
        event_streams.digest_schedule_stream,
    ],
)
def test_a_forces_own_stream_is_named_for_the_force(stream_of: Any) -> None:
    # The store refuses an append to a stream id another tenant holds: two forces' settings
    # must never share one (the second force's change was a 500).
    assert stream_of("force-a").stream_id != stream_of("force-b").stream_id
