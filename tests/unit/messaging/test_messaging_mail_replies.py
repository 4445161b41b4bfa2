"""Replies by email: the reply address, and what counts as a person's reply and what they wrote."""

from __future__ import annotations

import uuid
from email.message import EmailMessage

from snp_messaging.adapters.channels import Outgoing
from snp_messaging.adapters.smtp import build_email
from snp_messaging.domain.inbound_mail import (
    html_text,
    is_automatic,
    parse,
    read_reply,
    without_quoted_history,
)
from snp_messaging.domain.replies import MAX_TEXT
from snp_messaging.domain.reply_addresses import delivery_of, reply_address, reply_token, token_in
from snp_messaging.service_layer.compose import MessageForDelivery, compose

KEY = b"reply-key-for-tests"
DOMAIN = "snp.example"
DELIVERY = str(uuid.uuid4())


def _mail(body: str = "Thanks, I saw him too.", **headers: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Ann <ann@example.org>"
    mail["To"] = reply_address(DELIVERY, KEY, DOMAIN)
    mail["Subject"] = "Re: Road closed"
    mail["Message-ID"] = "<abc@example.org>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail.as_bytes()


def test_a_token_names_its_delivery_and_no_other_key_or_change_makes_one() -> None:
    token = reply_token(DELIVERY, KEY)
    assert delivery_of(token, KEY) == DELIVERY
    assert delivery_of(token.upper(), KEY) == DELIVERY  # a mail system may change the case
    assert delivery_of(token, b"another key") is None
    flipped = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert delivery_of(flipped, KEY) is None
    assert delivery_of("x" * 42, KEY) is None
    assert delivery_of(token, b"") is None
    # Made for another delivery: its own token, not this one's.
    assert reply_token(str(uuid.uuid4()), KEY) != token


def test_a_reply_address_is_ours_only_at_our_domain_with_the_prefix() -> None:
    address = reply_address(DELIVERY, KEY, DOMAIN)
    assert address.startswith("reply+") and address.endswith("@snp.example")
    assert len(address.split("@")[0]) <= 64  # RFC 5321's limit for a local part
    assert token_in(address, DOMAIN) == reply_token(DELIVERY, KEY)
    assert token_in(address.replace("snp.example", "evil.example"), DOMAIN) is None
    assert token_in("ann@snp.example", DOMAIN) is None


def test_a_message_mail_carries_its_own_reply_address_and_an_account_mail_none() -> None:
    message = MessageForDelivery("m1", "Road closed", "Closed.", "normal", "PC Jo", "", "", "", [])
    out = compose(message, DELIVERY, "ann@example.org", "Ann", "https://snp.example")
    mail = build_email(out, "Alerts <alerts@snp.example>", DOMAIN, KEY)
    assert mail["Reply-To"] == reply_address(DELIVERY, KEY, DOMAIN)
    assert "ann" not in str(mail["Reply-To"]).split("@")[0]
    assert build_email(out, "a@snp.example", DOMAIN, b"")["Reply-To"] is None  # no key, none
    account = MessageForDelivery(**{**message.__dict__, "message_type": "account"})
    out = compose(account, DELIVERY, "ann@example.org", "Ann", "https://snp.example")
    assert build_email(out, "a@snp.example", DOMAIN, KEY)["Reply-To"] is None
    plain = Outgoing(DELIVERY, "ann@example.org", "Ann", "Hello", "Hi")
    assert build_email(plain, "a@snp.example", DOMAIN, KEY)["Reply-To"] is None


def test_a_person_s_reply_is_read_with_its_token_message_id_and_text() -> None:
    reply = read_reply(_mail(), DOMAIN)
    assert reply is not None
    assert delivery_of(reply.token, KEY) == DELIVERY
    assert reply.mail_message_id == "<abc@example.org>"
    assert reply.text == "Thanks, I saw him too."


def test_the_envelope_recipient_finds_the_address_when_to_does_not_name_it() -> None:
    raw = _mail().replace(b"To: reply+", b"X-Old-To: reply+")
    assert read_reply(raw, DOMAIN) is None
    enveloped = f"X-Envelope-To: {reply_address(DELIVERY, KEY, DOMAIN)}\r\n".encode() + raw
    reply = read_reply(enveloped, DOMAIN)
    assert reply is not None and delivery_of(reply.token, KEY) == DELIVERY


def test_mail_to_any_other_address_is_not_a_reply() -> None:
    raw = _mail().replace(b"reply+", b"alerts+")
    assert read_reply(raw, DOMAIN) is None


def test_automatic_replies_are_recognised() -> None:
    for headers in (
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated; owner-email=x@y"},
        {"X_Autoreply": "yes"},
        {"X_Autorespond": "Out of office"},
        {"Precedence": "auto_reply"},
        {"Precedence": "bulk"},
        {"Precedence": "Junk"},
    ):
        assert is_automatic(parse(_mail(**headers))), headers
        assert read_reply(_mail(**headers), DOMAIN) is None, headers
    assert not is_automatic(parse(_mail(Auto_Submitted="no")))
    assert read_reply(_mail(Auto_Submitted="no"), DOMAIN) is not None
    assert not is_automatic(parse(_mail(Precedence="first-class")))


def test_a_delivery_report_to_a_reply_address_is_not_a_reply() -> None:
    raw = (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        f"To: {reply_address(DELIVERY, KEY, DOMAIN)}\r\n"
        "Message-ID: <dsn@mx.example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        "Final-Recipient: rfc822; ann@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B--\r\n"
    ).encode()
    assert read_reply(raw, DOMAIN) is None
    # The same mail as a plain text one is a reply: the report type is what tells them apart.
    plain = raw.replace(b"multipart/report; report-type=delivery-status", b"multipart/mixed")
    assert read_reply(plain, DOMAIN) is not None


def test_quoted_history_is_left_out() -> None:
    body = (
        "I saw a grey van.\n"
        "Near the school.\n"
        "\n"
        "On Tue, 1 Dec 2026 at 09:00, Safer Neighbourhoods\n"
        "<alerts@snp.example> wrote:\n"
        "> Road closed\n"
        "> From PC Jo.\n"
    )
    assert without_quoted_history(body) == "I saw a grey van.\nNear the school."
    assert without_quoted_history("Yes.\n> quoted\nAnd more.") == "Yes.\nAnd more."
    assert without_quoted_history("Fine.\n-----Original Message-----\nFrom: x") == "Fine."
    # A line that starts "On " but is no attribution stays.
    assert without_quoted_history("On Monday I saw him.") == "On Monday I saw him."
    reply = read_reply(_mail(body), DOMAIN)
    assert reply is not None and reply.text == "I saw a grey van.\nNear the school."


def test_a_long_reply_is_cut_to_the_reply_limit() -> None:
    reply = read_reply(_mail("a" * (MAX_TEXT + 500)), DOMAIN)
    assert reply is not None and len(reply.text) == MAX_TEXT


def test_an_html_only_reply_gives_its_text_without_markup_or_quoted_blocks() -> None:
    mail = EmailMessage()
    mail["To"] = reply_address(DELIVERY, KEY, DOMAIN)
    mail.set_content(
        "<html><head><style>p {color: red}</style></head><body><p>I saw it&nbsp;too &amp; "
        "<b>called</b>.</p><div>Ann</div><blockquote>Road closed</blockquote></body></html>",
        subtype="html",
    )
    reply = read_reply(mail.as_bytes(), DOMAIN)
    assert reply is not None
    assert reply.text == "I saw it too & called.\n\nAnn"
    assert html_text("<p>a</p><script>x()</script><p>b</p>") == "a\n\nb"


def test_a_mail_without_message_id_is_known_by_its_bytes() -> None:
    raw = _mail().replace(b"Message-ID: <abc@example.org>\n", b"")
    first, again = read_reply(raw, DOMAIN), read_reply(raw, DOMAIN)
    assert first is not None and again is not None
    assert first.mail_message_id.startswith("sha256:")
    assert first.mail_message_id == again.mail_message_id
