"""What audit's consumer role does with every service's events, in one place."""

from __future__ import annotations

from snp_audit.service_layer.ingest import EVENT_TOPICS, EventsEnterTheLog
from snp_platform.projections import Subscriptions
from snp_platform.revocations import RevocationsProjection


def subscriptions(group_id: str) -> Subscriptions:
    return Subscriptions(
        group_id,
        topics=[EVENT_TOPICS],  # a regex: identity's topic, and every service added later
        projections=[RevocationsProjection()],
        reactions=[EventsEnterTheLog()],
    )
