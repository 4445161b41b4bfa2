"""What engagement's consumer role does with other services' events, in one place."""

from __future__ import annotations

from snp_engagement.adapters.projections import group_roles_projection, revocations_projection
from snp_engagement.adapters.reports_agencies import ReportAgenciesProjection
from snp_platform.projections import Subscriptions
from snp_platform.rebuilds import Rebuildable, from_kafka
from snp_platform.topics import events_topic

CONSUMER_GROUP = "engagement.group-roles"
TOPICS = (events_topic("membership"), events_topic("identity"))


def subscriptions() -> Subscriptions:
    """State only for now: engagement has no reactions to other services' events yet."""
    return Subscriptions(
        CONSUMER_GROUP,
        topics=list(TOPICS),
        projections=[
            group_roles_projection(),
            revocations_projection(),
            ReportAgenciesProjection(),
        ],
        reactions=[],
    )


def rebuildable() -> list[Rebuildable]:
    """What an operator may rebuild (the ops routes), each from the topics it folds."""
    return [
        from_kafka(group_roles_projection(), [events_topic("membership")]),
        from_kafka(revocations_projection(), [events_topic("identity")]),
        from_kafka(ReportAgenciesProjection(), [events_topic("identity")]),
    ]
