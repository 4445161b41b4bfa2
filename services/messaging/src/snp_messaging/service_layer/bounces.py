"""Late bounces: a job in messaging's relay role reads the bounce mailbox every
SNP_BOUNCE_POLL_SECONDS and marks each delivery a permanent-failure DSN names as bounced, with
the member's contact problem (as a refusal during the SMTP session would). It runs only when
SNP_BOUNCE_MAILDIR names the mailbox."""

from __future__ import annotations

import threading
from typing import Any

import structlog
from psycopg_pool import ConnectionPool

from snp_messaging.adapters.bounce_mailbox import BounceMailbox
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.bounces import read_bounce
from snp_messaging.service_layer.receipts import record_late_failure
from snp_platform.worker_health import Heartbeat

log = structlog.get_logger(__name__)


def process_bounces(
    streams: MessagingStreams, pool: ConnectionPool[Any], mailbox: BounceMailbox, domain: str
) -> int:
    """Handle every unread bounce; how many named a delivery of ours."""
    handled = 0
    for name, raw in mailbox.unread():
        try:
            bounce = read_bounce(raw, domain)
        except Exception:  # mail nobody should have written: not ours to read, never fatal
            log.warning("bounce_mailbox_unreadable_mail", name=name)
            bounce = None
        if bounce is None:
            mailbox.pass_over(name)
            continue
        with pool.connection() as conn, conn.transaction():
            ours = record_late_failure(streams, conn, bounce.delivery_id, "bounced", bounce.reason)
        try:
            mailbox.done(name)
        except FileNotFoundError:
            continue  # another reader handled it; recording it twice changed nothing
        handled += int(ours)
        log.info("late_bounce", delivery_id=bounce.delivery_id, ours=ours)
    return handled


def run_bounces(
    streams: MessagingStreams,
    pool: ConnectionPool[Any],
    mailbox: BounceMailbox,
    domain: str,
    stop: threading.Event,
    *,
    interval: float = 60.0,
    heartbeat: Heartbeat | None = None,
) -> None:
    while not stop.is_set():
        try:
            process_bounces(streams, pool, mailbox, domain)
        except Exception:  # the database or the mailbox away: logged, and tried next time
            log.exception("late_bounces_failed")
        if heartbeat is not None:
            heartbeat.beat()
        stop.wait(interval)
