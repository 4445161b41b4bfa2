"""Replies by email: a job in messaging's relay role reads the mailbox the mail server delivers
to (SNP_BOUNCE_MAILDIR, the local sink's Maildir) every SNP_MAIL_REPLY_POLL_SECONDS, and records
each person's mail to a reply address as that member's reply, through the inbox's own step
(service_layer/replies.py: the policy's `messaging.reply.create`, the same event and rows).

The address's token proves the mail answers a delivery we sent: the reply is the delivery's
account's, named (never anonymous, never sharing contact details). A token this key did not
make, a delivery that is not ours, an automatic reply or an empty one is dropped and logged; a
delivery report is left to the bounce handling; a Message-ID seen before is a second copy."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime

import structlog

from snp_messaging.adapters import inbound_mails
from snp_messaging.adapters.bounce_mailbox import BounceMailbox
from snp_messaging.domain import inbound_mail
from snp_messaging.domain.replies import ReplyRuleBroken, ShareContact
from snp_messaging.domain.reply_addresses import delivery_of
from snp_messaging.service_layer.context import MessagingContext, NotFound
from snp_messaging.service_layer.replies import ReplyAsked, record_reply
from snp_platform.authz import Refused
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal
from snp_platform.worker_health import Heartbeat

log = structlog.get_logger(__name__)

MAIL_ACTOR = "mail-reply"  # with the account: the event's actor says the reply came by mail


def _member(answered: inbound_mails.Answered) -> Principal:
    """The delivery's recipient, as the policy is asked about them: the reply address stands for
    their sign-in (it reached only their mailbox), with no second factor."""
    now = datetime.now(UTC)
    return Principal(
        answered.account_id, answered.tenant, "member", ("reply_address",), "", now, now
    )


class _Dropped(Exception):
    """A reply not recorded: raised out of the transaction, which leaves no trace of it."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


def _record(ctx: MessagingContext, reply: inbound_mail.InboundReply, delivery_id: str) -> str:
    """What became of the mail: replied | duplicate | unknown_delivery | refused | empty."""
    try:
        with ctx.pool.connection() as conn, conn.transaction():
            answered = inbound_mails.delivery(conn, delivery_id)
            if answered is None:
                return "unknown_delivery"
            if not inbound_mails.first_time(conn, reply.mail_message_id, delivery_id):
                return "duplicate"
            asked = ReplyAsked(reply.text, ShareContact.NONE)
            metadata = EventMetadata(actor=answered.account_id, correlation_id=delivery_id)
            try:
                record_reply(ctx, conn, _member(answered), answered.message_id, asked, metadata)
            except ReplyRuleBroken as broken:
                raise _Dropped("empty") from broken
            except (NotFound, Refused) as refused:
                raise _Dropped("refused") from refused
    except _Dropped as dropped:
        return dropped.outcome
    return "replied"


def process_mail_replies(ctx: MessagingContext, mailbox: BounceMailbox) -> int:
    """Read every unread mail to a reply address; how many became replies."""
    replied = 0
    key, domain = ctx.settings.reply_key, ctx.settings.mail_domain
    for name, raw in mailbox.unread():
        try:
            mail = inbound_mail.parse(raw)
            ours = inbound_mail.reply_token_of(mail, domain) is not None
        except Exception:  # mail nobody should have written: not ours to read, never fatal
            log.warning("mail_reply_unreadable_mail", name=name)
            ours = False
        if not ours or inbound_mail.is_delivery_report(mail):
            mailbox.pass_over(name)  # a resident's mail, or a bounce for the bounce handling
            continue
        outcome = _outcome(ctx, raw, key, domain)
        # Another reader may have taken it: its Message-ID keeps it from counting twice.
        with contextlib.suppress(FileNotFoundError):
            mailbox.done(name)
        replied += int(outcome == "replied")
        log.info("mail_reply", outcome=outcome, mail=name)
    return replied


def _outcome(ctx: MessagingContext, raw: bytes, key: bytes, domain: str) -> str:
    reply = inbound_mail.read_reply(raw, domain)
    if reply is None:
        return "automatic"
    delivery_id = delivery_of(reply.token, key)
    if delivery_id is None:
        log.warning("mail_reply_forged_token")  # the token itself is not logged: it is a key
        return "forged"
    return _record(ctx, reply, delivery_id)


def run_mail_replies(
    ctx: MessagingContext,
    mailbox: BounceMailbox,
    stop: threading.Event,
    *,
    interval: float = 30.0,
    heartbeat: Heartbeat | None = None,
) -> None:
    while not stop.is_set():
        try:
            process_mail_replies(ctx, mailbox)
        except Exception:  # the database, OPA or the mailbox away: logged, and tried next time
            log.exception("mail_replies_failed")
        if heartbeat is not None:
            heartbeat.beat()
        stop.wait(interval)
