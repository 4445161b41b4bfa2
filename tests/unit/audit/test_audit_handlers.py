"""Audit's handlers as far as they go without PostgreSQL: an event recorded by a service (in
the in-memory store) becomes the log record audit would append, and the auditor's policy
question is always about their own tenant's log.

Audit keeps no event store of its own: appending to the hash-chained log, decision-log batches,
checkpoints, search, export and the self-check all run SQL on the pool (or a connection), so
they are left to tests/integration.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from snp.identity.v1 import events_pb2 as identity_pb
from snp_audit.adapters.signing import CheckpointSigner
from snp_audit.domain.entries import GENESIS, decode_entry, encode_entry
from snp_audit.entrypoints.consumer import subscriptions
from snp_audit.entrypoints.dependencies import AuditContext, allow_log
from snp_audit.service_layer.ingest import EVENT_TOPICS, EventsEnterTheLog, event_record
from snp_identity.adapters.event_streams import IdentityStreams, account_stream
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.opa import Decision
from snp_platform.problems import Problem
from snp_platform.testing import FakePolicyClient, MemoryEventStore, unopened_pool
from snp_platform.tokens import Principal

KEY = base64.urlsafe_b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()
META = EventMetadata(actor="admin-1", correlation_id="corr-1", causation_id="cause-1")


def auditor(tenant: str = "met") -> Principal:
    now = datetime.now(UTC)
    return Principal("aud-1", tenant, "auditor", ("pwd", "otp"), "j", now + timedelta(hours=1), now)


def context(policy: FakePolicyClient) -> AuditContext:
    return AuditContext(unopened_pool(), CheckpointSigner(KEY), policy, "", "audit")


def test_a_recorded_event_becomes_a_log_record_without_its_payload() -> None:
    store = MemoryEventStore()
    contact = identity_pb.EncryptedContact(display_name=b"sealed-name", email=b"sealed-email")
    registered = identity_pb.AccountRegistered(account_id="a1", kind="member", contact=contact)
    IdentityStreams(store).append(account_stream("met", "a1"), [registered], NO_STREAM, META)
    [recorded] = store.load(account_stream("met", "a1"))

    record = event_record(recorded.to_envelope("identity"))
    assert (record.tenant, record.source, record.service, record.type) == (
        "met",
        "event",
        "identity",
        "identity.AccountRegistered",
    )
    assert (record.ref, record.subject, record.actor, record.correlation_id) == (
        recorded.event_id,
        "account:a1",
        "admin-1",
        "corr-1",
    )
    assert record.occurred_at == recorded.occurred_at
    assert record.attrs == {
        "stream_version": 1,
        "schema_version": 1,
        "causation_id": "cause-1",
        "payload_sha256": hashlib.sha256(recorded.payload).hexdigest(),
    }
    entry = encode_entry(record, 0, GENESIS, datetime.now(UTC))
    assert b"sealed-name" not in entry and b"sealed-email" not in entry
    assert decode_entry(entry)["tenant"] == "met"


def test_the_consumer_logs_every_services_events() -> None:
    wired = subscriptions("audit-events")
    assert list(wired.topics) == [EVENT_TOPICS]
    assert [type(r) for r in wired.reactions] == [EventsEnterTheLog]


def test_an_auditor_is_asked_about_their_own_tenants_log_only() -> None:
    policy = FakePolicyClient(table={"audit.events.read": True})
    assert allow_log(context(policy), auditor("city-of-london"), "audit.events.read") == (
        "city-of-london"
    )
    [asked] = policy.asked
    assert asked.input["action"] == "audit.events.read"
    assert asked.input["resource"] == {
        "type": "log",
        "id": "city-of-london",
        "tenant": "city-of-london",
    }
    assert asked.input["subject"]["tenant"] == "city-of-london"
    assert asked.input["subject"]["mfa"] is True


def test_a_denied_export_is_a_403_naming_the_missing_second_factor() -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: Decision(False, ("mfa_required",)))
    with pytest.raises(Problem) as raised:
        allow_log(context(policy), auditor(), "audit.events.export")
    assert raised.value.status == 403 and raised.value.extra["reasons"] == ["mfa_required"]
    assert raised.value.type_uri.endswith(":mfa-required")
    unavailable = FakePolicyClient.unavailable()
    with pytest.raises(Problem) as failed:
        allow_log(context(unavailable), auditor(), "audit.events.read")
    # OPA unreachable: closed, never open, and said to be for a while (503, not 403).
    assert failed.value.status == 503 and failed.value.headers["Retry-After"]
