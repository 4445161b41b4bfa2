"""What messaging's consumer role does with other services' events, in one place."""

from __future__ import annotations

from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.adapters.events_registrations import EngagementEventsProjection
from snp_messaging.adapters.mailing_lists import MailingListsProjection
from snp_messaging.adapters.projections import RecipientsProjection, revocations_projection
from snp_messaging.service_layer.events_notices import EngagementEventNotices
from snp_messaging.service_layer.reactions import (
    AuthenticatorResetsMailed,
    ChangedAddressesClearProblems,
    ErasedAccountsAreForgotten,
    ForwardedDocumentsNotify,
    PasswordResetsMailed,
)
from snp_messaging.service_layer.report_notices import ReportStepsNotifyReporter
from snp_platform.projections import Subscriptions
from snp_platform.rebuilds import Rebuildable, from_kafka
from snp_platform.topics import events_topic

CONSUMER_GROUP = "messaging-projections"  # the Kafka group's name since the first release
TOPICS = tuple(events_topic(s) for s in ("identity", "membership", "documents", "engagement"))


def subscriptions(streams: MessagingStreams, portal_base_url: str) -> Subscriptions:
    return Subscriptions(
        CONSUMER_GROUP,
        topics=list(TOPICS),
        projections=[
            RecipientsProjection(),
            revocations_projection(),
            EngagementEventsProjection(),
            MailingListsProjection(),
        ],
        reactions=[
            ForwardedDocumentsNotify(streams, portal_base_url),
            ErasedAccountsAreForgotten(),
            ChangedAddressesClearProblems(streams),
            PasswordResetsMailed(streams, portal_base_url),
            AuthenticatorResetsMailed(streams, portal_base_url),
            ReportStepsNotifyReporter(streams, portal_base_url),
            EngagementEventNotices(streams),
        ],
    )


def rebuildable() -> list[Rebuildable]:
    """What an operator may rebuild (the ops routes), each from the topics it folds."""
    return [
        from_kafka(RecipientsProjection(), [events_topic("membership"), events_topic("identity")]),
        from_kafka(revocations_projection(), [events_topic("identity")]),
        from_kafka(EngagementEventsProjection(), [events_topic("engagement")]),
        from_kafka(MailingListsProjection(), [events_topic("documents")]),
    ]
