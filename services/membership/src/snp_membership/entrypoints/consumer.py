"""What membership's consumer role does with other services' events, in one place."""

from __future__ import annotations

from snp_membership.adapters.projections import KnownAccountsProjection, revocations_projection
from snp_membership.service_layer.reactions import ErasedAccountsLeaveGroups
from snp_platform.eventstore import EventStore
from snp_platform.projections import Subscriptions
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
