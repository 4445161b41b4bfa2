"""Reading late bounces (RFC 3464 delivery status notifications): which of our deliveries a
permanent failure is for, and what is not a bounce at all."""

from __future__ import annotations

from email.message import EmailMessage

from snp_messaging.domain.bounces import read_bounce

DOMAIN = "saferneighbourhoods.example"
DELIVERY = "0b7a0d2e-4c1f-4e53-9a0e-3b1f6f1c2d4e"


def dsn(
    action: str = "failed",
    status: str = "5.1.1",
    returned: str = f"Message-ID: <{DELIVERY}@{DOMAIN}>\r\nSubject: Burglary alert\r\n",
    report_type: str = "delivery-status",
) -> bytes:
    """A DSN as Postfix writes one: a human part, the status fields, the original headers."""
    return (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        f"To: alerts@{DOMAIN}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        "Final-Recipient: rfc822; ann@example.org\r\n"
        f"Action: {action}\r\nStatus: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <ann@example.org>: mailbox unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"{returned}\r\n"
        "--B--\r\n"
    ).encode()


def test_a_permanent_failure_names_our_delivery_and_says_why() -> None:
    bounce = read_bounce(dsn(), DOMAIN)
    assert bounce is not None and bounce.delivery_id == DELIVERY
    assert bounce.reason.startswith("dsn 5.1.1: smtp; 550 5.1.1")


def test_our_delivery_header_is_read_when_the_message_id_was_rewritten() -> None:
    returned = f"Message-ID: <other@relay.example>\r\nX-SNP-Delivery-Id: {DELIVERY.upper()}\r\n"
    bounce = read_bounce(dsn(returned=returned), DOMAIN)
    assert bounce is not None and bounce.delivery_id == DELIVERY


def test_delays_temporary_failures_and_success_reports_are_not_bounces() -> None:
    assert read_bounce(dsn(action="delayed", status="4.4.7"), DOMAIN) is None
    assert read_bounce(dsn(action="failed", status="4.2.2"), DOMAIN) is None
    assert read_bounce(dsn(action="delivered", status="2.0.0"), DOMAIN) is None
    assert read_bounce(dsn(report_type="disposition-notification"), DOMAIN) is None


def test_another_domains_message_or_an_out_of_office_reply_is_not_ours() -> None:
    foreign = f"Message-ID: <{DELIVERY}@elsewhere.example>\r\n"
    assert read_bounce(dsn(returned=foreign), DOMAIN) is None
    reply = EmailMessage()
    reply["Subject"] = "Automatic reply: Burglary alert"
    reply["Auto-Submitted"] = "auto-replied"
    reply["In-Reply-To"] = f"<{DELIVERY}@{DOMAIN}>"
    reply.set_content("I am away until Monday.")
    assert read_bounce(reply.as_bytes(), DOMAIN) is None
    assert read_bounce(b"not a mail at all \x00\xff", DOMAIN) is None
