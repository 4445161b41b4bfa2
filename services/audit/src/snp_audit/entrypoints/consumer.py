"""What audit's consumer role does with every service's events, in one place."""

from __future__ import annotations

from snp_audit.adapters.projections import revocations_projection
from snp_audit.service_layer.ingest import EVENT_TOPICS, EventsEnterTheLog
from snp_platform.projections import Subscriptions
from snp_platform.rebuilds import Rebuildable, from_kafka
from snp_platform.topics import events_topic


def subscriptions(group_id: str) -> Subscriptions:
    return Subscriptions(
        group_id,
        topics=[EVENT_TOPICS],  # a regex: identity's topic, and every service added later
        projections=[revocations_projection()],
        reactions=[EventsEnterTheLog()],
    )


def rebuildable() -> list[Rebuildable]:
    """What an operator may rebuild (the ops routes): the revocations; never the log."""
    return [from_kafka(revocations_projection(), [events_topic("identity")])]
