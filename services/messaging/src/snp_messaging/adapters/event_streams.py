"""Messaging's streams in the platform event store, as protobuf messages."""

from __future__ import annotations

from snp_messaging.adapters.read_model import MessagingReadModel
from snp_messaging.domain.events import SCHEMA_VERSION, event_type, parse_event
from snp_platform.eventstore import EventStore, Stream
from snp_platform.eventstore.typed import TypedStreams


def message_stream(tenant: str, message_id: str) -> Stream:
    return Stream(tenant, f"message:{message_id}")


def attachment_stream(tenant: str, attachment_id: str) -> Stream:
    return Stream(tenant, f"attachment:{attachment_id}")


def recipient_stream(tenant: str, account_id: str) -> Stream:
    """A member's preferences, consent choices and delivery problems (keyed by account, never
    by address)."""
    return Stream(tenant, f"recipient:{account_id}")


# A stream id is unique across tenants (the store refuses another tenant's append to it), so
# a force's own stream names the force.


def provider_defaults_stream(tenant: str) -> Stream:
    """The force's defaults for its information providers (one stream per force)."""
    return Stream(tenant, f"provider-defaults:{tenant}")


def alert_rules_stream(tenant: str) -> Stream:
    """The force's rule for alerts that wait for a second officer (one stream per force)."""
    return Stream(tenant, f"alert-rules:{tenant}")


def digest_schedule_stream(tenant: str) -> Stream:
    """The force's digest time (one stream per force)."""
    return Stream(tenant, f"digest-schedule:{tenant}")


def poll_answer_stream(tenant: str, message_id: str, account_id: str) -> Stream:
    """One recipient's answer to a message's poll: recorded at NO_STREAM, so it is once."""
    return Stream(tenant, f"poll-answer:{message_id}:{account_id}")


def rating_stream(tenant: str, message_id: str, account_id: str) -> Stream:
    """One recipient's ratings of a message, the latest in force."""
    return Stream(tenant, f"rating:{message_id}:{account_id}")


def reply_thread_stream(tenant: str, thread_id: str) -> Stream:
    """A thread of replies to a message between one recipient (or one anonymous reply) and
    the message's reply team."""
    return Stream(tenant, f"reply-thread:{thread_id}")


class MessagingStreams(TypedStreams):
    """Loads and appends messaging's events (typed messages in, typed messages out), each
    applied to messaging's own tables (MessagingReadModel) in the transaction recording it."""

    def __init__(self, store: EventStore) -> None:
        super().__init__(
            store,
            event_type,
            parse_event,
            SCHEMA_VERSION,
            service="messaging",
            read_model=MessagingReadModel(),
        )
