"""`snp-messaging api|relay|consumer|worker`: the messaging service's processes.

`relay` publishes messaging's events, dispatches due deliveries onto the delivery topic,
sends engagement events' day-before reminders and members' digests, and releases what quiet
hours held; `send-digests` and `release-held` run those two steps at once (`--now`: as if it
were then); `rebuild-feedback` rebuilds the poll and rating tables from the event store;
`worker` sends them (scale it with the volume of deliveries); `consumer` keeps the projections
of membership's, documents' and identity's events.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from psycopg_pool import ConnectionPool

from snp_messaging.adapters.bounce_mailbox import BounceMailbox
from snp_messaging.adapters.delivery_topic import ensure_delivery_topic
from snp_messaging.adapters.directory import Directory
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.adapters.feedback_rebuild import rebuild_feedback_tables
from snp_messaging.adapters.providers import channels_from_settings
from snp_messaging.adapters.schema import create_messaging_schema
from snp_messaging.adapters.subject_export import subject_part
from snp_messaging.entrypoints.app import build_app, readiness_checks
from snp_messaging.entrypoints.consumer import subscriptions
from snp_messaging.service_layer import attachments
from snp_messaging.service_layer.bounces import run_bounces
from snp_messaging.service_layer.context import MessagingContext
from snp_messaging.service_layer.delivery import DeliveryWorker
from snp_messaging.service_layer.dispatch import Dispatcher
from snp_messaging.service_layer.events_notices import run_reminders
from snp_messaging.service_layer.mail_replies import run_mail_replies
from snp_messaging.service_layer.scheduled_sends import (
    release_held,
    run_scheduled_sends,
    send_digests,
)
from snp_messaging.settings import MessagingSettings
from snp_platform.eventstore import EventStore
from snp_platform.grpc_tls import grpc_tls
from snp_platform.opa import OpaClient
from snp_platform.relay import Relay
from snp_platform.runtime import prepare, serve_api, serve_consumer, stop_on_signals
from snp_platform.service_auth import (
    ServiceTokenServerInterceptor,
    signer_from_settings,
    verifier_from_settings,
)
from snp_platform.settings import load_settings
from snp_platform.subject_export import subject_export_servicer
from snp_platform.worker_health import Heartbeat, serve_worker_health


def directory(settings: MessagingSettings) -> Directory:
    signer = signer_from_settings(settings)
    if signer is None:
        raise SystemExit("messaging needs SNP_SERVICE_SIGNING_KEY to ask identity's directory")
    return Directory(settings.identity_grpc_target, signer, tls=grpc_tls(settings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-messaging", description=__doc__)
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="REST (and the gRPC health service)")
    commands.add_parser("relay", help="publish events; put due deliveries on the delivery topic")
    commands.add_parser("consumer", help="projections of other services' events")
    commands.add_parser("worker", help="send deliveries from the delivery topic")
    for name, what in (
        ("send-digests", "record the digests due now (the relay does every minute)"),
        ("release-held", "release deliveries whose quiet hours ended (the relay does too)"),
    ):
        command = commands.add_parser(name, help=what)
        command.add_argument(
            "--now", type=_instant, default=None, help="as if it were this ISO 8601 instant"
        )
    commands.add_parser(
        "rebuild-feedback", help="rebuild the poll and rating tables from the event store"
    )
    args = parser.parse_args(argv)
    settings = load_settings(MessagingSettings)
    prepare(settings, args.role)
    create_messaging_schema(settings.database_url)
    if args.role in ("relay", "worker"):
        ensure_delivery_topic(settings.kafka_bootstrap, settings.delivery_partitions)
    size = settings.worker_threads + 2 if args.role == "worker" else 8
    with ConnectionPool(
        settings.database_url, min_size=1, max_size=size, timeout=settings.db_pool_timeout_seconds
    ) as pool:
        if args.role == "relay":
            _relay_and_dispatch(settings, pool)
        elif args.role in ("send-digests", "release-held"):
            _scheduled_step(settings, pool, args.role, args.now or datetime.now(UTC))
        elif args.role == "rebuild-feedback":
            print(f"applied {rebuild_feedback_tables(pool)} poll and rating event(s)")
        elif args.role == "consumer":
            consumed = subscriptions(MessagingStreams(EventStore(pool)), settings.portal_base_url)
            serve_consumer(settings, pool, consumed)
        elif args.role == "worker":
            _deliver(settings, pool)
        else:
            ctx = MessagingContext(pool, OpaClient(settings.opa_url), directory(settings), settings)
            attachments.seal_stored_in_the_clear(ctx)
            serve_api(
                settings,
                build_app(settings, ctx),
                servicers=[subject_export_servicer("messaging", pool, subject_part)],
                interceptors=[ServiceTokenServerInterceptor(verifier_from_settings(settings))],
                readiness_checks=readiness_checks(settings),
            )
    return 0


def _instant(text: str) -> datetime:
    """An ISO 8601 instant; one without an offset is read as UTC."""
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _scheduled_step(
    settings: MessagingSettings, pool: ConnectionPool[Any], step: str, now: datetime
) -> None:
    if step == "send-digests":
        streams = MessagingStreams(EventStore(pool))
        sent = send_digests(streams, pool, settings.portal_base_url, now)
        print(f"recorded {sent} digest(s) due at {now.isoformat()}")
    else:
        print(f"released {release_held(pool, now)} held deliver(ies) at {now.isoformat()}")


class _Slowest(Heartbeat):
    """Alive only while every loop of the process goes round."""

    def __init__(self, *loops: Heartbeat) -> None:
        super().__init__()
        self._loops = loops

    def age(self) -> float:
        return max(loop.age() for loop in self._loops)


@contextmanager
def _health(settings: MessagingSettings, heartbeat: Heartbeat) -> Iterator[None]:
    """`/healthz` and `/metrics` on SNP_HEALTH_PORT for a worker role (none when it is 0)."""
    if not settings.health_port:
        yield
        return
    server = serve_worker_health(heartbeat, settings.health_port, settings.http_host)
    try:
        yield
    finally:
        server.shutdown()


def _relay_and_dispatch(settings: MessagingSettings, pool: ConnectionPool[Any]) -> None:
    stop = stop_on_signals()
    dispatcher = Dispatcher(
        pool, settings.kafka_bootstrap, requeue_after=settings.delivery_requeue_after_seconds
    )
    relaying, dispatching, reminding, scheduling = (Heartbeat() for _ in range(4))
    thread = threading.Thread(
        target=dispatcher.run, args=(stop,), kwargs={"heartbeat": dispatching}, name="dispatcher"
    )
    thread.start()
    # Engagement events' day-before reminders: a periodic job, each event reminded of once.
    reminders = threading.Thread(
        target=run_reminders,
        args=(MessagingStreams(EventStore(pool)), pool, stop),
        kwargs={"heartbeat": reminding, "interval": settings.event_reminder_interval_seconds},
        name="event-reminders",
    )
    reminders.start()
    # Digests at the force's time and deliveries held for quiet hours, when they are due.
    scheduled = threading.Thread(
        target=run_scheduled_sends,
        args=(MessagingStreams(EventStore(pool)), pool, settings.portal_base_url, stop),
        kwargs={
            "heartbeat": scheduling,
            "interval": settings.scheduled_sends_interval_seconds,
        },
        name="scheduled-sends",
    )
    scheduled.start()
    bouncing = _start_bounces(settings, pool, stop)
    replying = _start_mail_replies(settings, pool, stop)
    try:
        with _health(settings, _Slowest(relaying, dispatching, reminding, scheduling)):
            Relay(pool, settings.kafka_bootstrap, settings.service_name).run(
                stop, heartbeat=relaying
            )
    finally:
        stop.set()
        thread.join(30)
        reminders.join(30)
        scheduled.join(30)
        for job in (bouncing, replying):
            if job is not None:
                job.join(30)


def _start_bounces(
    settings: MessagingSettings, pool: ConnectionPool[Any], stop: threading.Event
) -> threading.Thread | None:
    """Late bounces read from the bounce mailbox, when one is configured."""
    if not settings.bounce_maildir:
        return None
    job = threading.Thread(
        target=run_bounces,
        args=(
            MessagingStreams(EventStore(pool)),
            pool,
            BounceMailbox(settings.bounce_maildir),
            settings.mail_domain,
            stop,
        ),
        kwargs={"interval": settings.bounce_poll_seconds},
        name="late-bounces",
        daemon=True,
    )
    job.start()
    return job


def _start_mail_replies(
    settings: MessagingSettings, pool: ConnectionPool[Any], stop: threading.Event
) -> threading.Thread | None:
    """Replies by email read from the same mailbox, when it and the reply-address key are set."""
    if not (settings.bounce_maildir and settings.reply_key):
        return None
    ctx = MessagingContext(pool, OpaClient(settings.opa_url), directory(settings), settings)
    job = threading.Thread(
        target=run_mail_replies,
        args=(ctx, BounceMailbox(settings.bounce_maildir), stop),
        kwargs={"interval": settings.mail_reply_poll_seconds},
        name="mail-replies",
        daemon=True,
    )
    job.start()
    return job


def _deliver(settings: MessagingSettings, pool: ConnectionPool[Any]) -> None:
    worker = DeliveryWorker(
        pool, settings, directory(settings), lambda: channels_from_settings(settings)
    )
    heartbeat = Heartbeat()
    with _health(settings, heartbeat):
        worker.run(stop_on_signals(), heartbeat=heartbeat)


if __name__ == "__main__":
    sys.exit(main())
