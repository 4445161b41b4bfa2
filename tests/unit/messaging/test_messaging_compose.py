"""What a delivery says, attachments' names and types, and SMTP answers told apart."""

from __future__ import annotations

from datetime import UTC, datetime

from snp_messaging.adapters.channels import Outgoing
from snp_messaging.adapters.smtp import _refused, build_email, message_id, wire_bytes
from snp_messaging.domain.deliveries import Verdict
from snp_messaging.service_layer.account_mail import reset_mail_body, set_up_mail_body
from snp_messaging.service_layer.attachments import attachment_name, attachment_type
from snp_messaging.service_layer.compose import MessageForDelivery, compose

MESSAGE = MessageForDelivery(
    "m1",
    "Road closed",
    "The high street is closed.",
    "urgent",
    "PC Jo Patel",
    "police officer",
    "Test Constabulary",
    "",
    [{"id": "a1", "filename": "map.pdf"}],
)


def test_a_delivery_names_its_sender_and_its_reference() -> None:
    out = compose(MESSAGE, "d-42", "ann@example.org", "Ann", "https://snp.example")
    assert out.subject == "[URGENT] Road closed"
    assert "From PC Jo Patel, police officer, Test Constabulary." in out.text
    assert "Delivery reference d-42." in out.text
    # Without the file attached (text messages, Notify) the attachment is a sign-in link.
    assert "https://snp.example/attachments/a1" in out.text


def test_a_message_with_a_poll_says_where_to_answer_it_and_one_without_does_not() -> None:
    polled = MessageForDelivery(**{**MESSAGE.__dict__, "has_poll": True})
    out = compose(polled, "d-42", "ann@example.org", "Ann", "https://snp.example/")
    assert (
        "This message has a poll. Answer it in your messages (sign in):"
        " https://snp.example/inbox/m1" in out.text.splitlines()
    )
    assert "poll" not in compose(MESSAGE, "d-42", "a@example.org", "Ann", "https://x").text


def test_a_reset_mail_is_plain_text_with_the_link_alone_on_its_line() -> None:
    link = "https://portal.example/reset-password/abc_DEF-123"
    body = reset_mail_body(link, "Test Constabulary", datetime(2025, 5, 3, 14, 35, tzinfo=UTC))
    reset = MessageForDelivery(
        "m2", "Reset your password", body, "normal", "", "Platform", "", link, [], "account"
    )
    out = compose(reset, "d-7", "ann@example.org", "Ann", "https://snp.example")
    lines = out.text.splitlines()
    assert lines[0] == "Hello Ann,"
    assert link in lines  # on a line of its own, so a mail client makes it one link
    assert "The link works once, until 14:35 UTC on 3 May 2025." in lines
    assert "From " not in out.text and "Sign in to read it" not in out.text
    assert all(len(line) <= 78 for line in lines if line != link)  # RFC 5322's line advice
    assert out.subject == "Reset your password"
    assert "Delivery reference d-7." in out.text


def test_a_set_up_mail_says_what_it_is_and_what_comes_after_the_link() -> None:
    link = "https://portal.example/set-up/abc_DEF-123"
    body = set_up_mail_body(link, "Test Constabulary", datetime(2025, 5, 3, 14, 35, tzinfo=UTC))
    lines = body.splitlines()
    assert lines[0] == "An administrator of Test Constabulary has made you a staff"
    assert link in lines
    assert "The link works once, until 14:35 UTC on 3 May 2025. Then sign in and set up an" in lines
    assert "authenticator app" in body and "reset" not in body
    assert all(len(line) <= 78 for line in lines if line != link)


def test_every_copy_of_a_delivery_has_the_same_message_id() -> None:
    out = compose(MESSAGE, "d-42", "ann@example.org", "Ann", "https://snp.example")
    first = build_email(out, "Alerts <a@snp.example>", "snp.example")
    second = build_email(out, "Alerts <a@snp.example>", "snp.example")
    assert first["Message-ID"] == second["Message-ID"] == message_id("d-42", "snp.example")
    assert first["X-SNP-Delivery-Id"] == "d-42"
    assert first["To"] == "Ann <ann@example.org>"


def test_smtp_answers_are_told_apart() -> None:
    assert _refused(550, b"5.1.1 No such mailbox").verdict is Verdict.BOUNCED
    assert _refused(553, b"bad address").verdict is Verdict.BOUNCED
    assert _refused(451, b"4.3.0 busy").verdict is Verdict.RETRY
    assert _refused(421, b"closing").verdict is Verdict.RETRY
    assert _refused(554, b"5.7.1 message refused").verdict is Verdict.FAILED


def test_attachments_are_sniffed_and_their_names_made_safe() -> None:
    assert attachment_type(b"%PDF-1.7 ...") == "application/pdf"
    assert attachment_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert attachment_type(b"plain words") == "text/plain"
    assert attachment_type(b"MZ\x90\x00\xff\xfe") is None  # an executable is no document
    assert attachment_type(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;") is None  # not kept here
    assert attachment_name("../../etc/passwd") == "passwd"
    assert attachment_name('C:\\temp\\"bad"<name>.pdf') == "_bad_name_.pdf"
    assert attachment_name("...") == "attachment"


def test_the_sender_line_goes_on_the_wire_as_composed_never_as_from_quoted() -> None:
    out = Outgoing("d-1", "ann@example.org", "Ann", "Alert", "Lock up.\n\nFrom PC Jo, police.")
    wire = wire_bytes(build_email(out, "Alerts <a@snp.example>", "snp.example"))
    assert b"\r\nFrom PC Jo, police.\r\n" in wire
    assert b">From" not in wire
