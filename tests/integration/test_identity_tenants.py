"""Registering tenants against the real event store."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from psycopg_pool import ConnectionPool

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters.event_streams import IdentityStreams, tenant_stream
from snp_identity.domain.tenants import TenantRuleBroken
from snp_identity.service_layer import tenants
from snp_platform.eventstore import ConcurrencyError, EventMetadata, EventStore

pytestmark = pytest.mark.integration
OPERATOR = EventMetadata(actor="operator-1", correlation_id="c-1")


def test_a_registered_tenant_is_one_event_in_its_own_tenant(pool: ConnectionPool[Any]) -> None:
    streams = IdentityStreams(EventStore(pool))
    assert not tenants.tenant_exists(streams, "met")
    tenants.register_tenant(streams, "met", "Metropolitan Police Service", OPERATOR)

    assert tenants.tenant_exists(streams, "met")
    [recorded] = EventStore(pool).load(tenant_stream("met"))
    assert (recorded.stream.tenant, recorded.event_type) == ("met", "identity.TenantRegistered")
    assert recorded.metadata.actor == "operator-1"
    assert streams.load(tenant_stream("met"))[0] == [
        pb.TenantRegistered(slug="met", display_name="Metropolitan Police Service")
    ]


def test_registering_a_tenant_twice_is_refused_and_records_nothing(
    pool: ConnectionPool[Any],
) -> None:
    streams = IdentityStreams(EventStore(pool))
    tenants.register_tenant(streams, "met", "Metropolitan Police Service", OPERATOR)
    with pytest.raises(TenantRuleBroken, match="already registered"):
        tenants.register_tenant(streams, "met", "Impostor", OPERATOR)
    with pytest.raises(TenantRuleBroken, match="slug"):
        tenants.register_tenant(streams, "Bad Slug", "X", OPERATOR)
    assert EventStore(pool).last_position() == 1


def test_two_operators_racing_for_one_slug_record_it_once(pool: ConnectionPool[Any]) -> None:
    streams = IdentityStreams(EventStore(pool))
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def register(name: str) -> None:
        barrier.wait()
        try:
            tenants.register_tenant(streams, "city-of-london", name, OPERATOR)
            outcomes.append("registered")
        except (ConcurrencyError, TenantRuleBroken):
            outcomes.append("refused")

    threads = [threading.Thread(target=register, args=(f"op{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 3 + ["registered"]
    assert len(EventStore(pool).load(tenant_stream("city-of-london"))) == 1
