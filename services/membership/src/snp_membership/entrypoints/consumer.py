"""What membership's consumer role does with other services' events, in one place."""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

from snp_membership.adapters.projections import KnownAccountsProjection, revocations_projection
from snp_membership.adapters.rebuild import GROUP_TABLES_NAME, events_stored, rebuild_group_tables
from snp_membership.service_layer.reactions import ErasedAccountsLeaveGroups
from snp_platform.eventstore import EventStore
from snp_platform.projections import RebuildProgress, Subscriptions
from snp_platform.rebuilds import Rebuildable, from_kafka
from snp_platform.topics import events_topic

CONSUMER_GROUP = "membership-identity"  # the Kafka group's name since the first release
TOPICS = (events_topic("identity"),)


def subscriptions(store: EventStore) -> Subscriptions:
    return Subscriptions(
        CONSUMER_GROUP,
        topics=list(TOPICS),
        projections=[KnownAccountsProjection(), revocations_projection()],
        reactions=[ErasedAccountsLeaveGroups(store)],
    )


def _group_tables(pool: ConnectionPool[Any], _bootstrap: str, progress: RebuildProgress) -> int:
    return rebuild_group_tables(pool, progress)


def rebuildable() -> list[Rebuildable]:
    """What an operator may rebuild (the ops routes): the consumer's projections, from Kafka,
    and the group tables, from membership's own store."""
    group_tables = Rebuildable(
        GROUP_TABLES_NAME, "membership's own events", _group_tables, events_stored
    )
    return [
        group_tables,
        from_kafka(KnownAccountsProjection(), TOPICS),
        from_kafka(revocations_projection(), TOPICS),
    ]
