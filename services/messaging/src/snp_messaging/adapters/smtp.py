"""Email over SMTP: one connection per sending thread, reused, with the delivery id as Message-ID.

A 5xx refusal of the recipient is a bounce (the address is bad); other 5xx answers are
permanent failures; 4xx answers and broken connections are retried later.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from snp_messaging.adapters.channels import Outgoing
from snp_messaging.domain.deliveries import Attempt, Verdict
from snp_messaging.domain.reply_addresses import reply_address

DELIVERY_HEADER = "X-SNP-Delivery-Id"


def message_id(delivery_id: str, domain: str) -> str:
    """The same for every copy of a delivery, so a duplicate is recognisable as one."""
    return f"<{delivery_id}@{domain}>"


def build_email(
    outgoing: Outgoing, sender: str, domain: str, reply_key: bytes = b""
) -> EmailMessage:
    """The mail of one delivery; one that takes replies is answered to its own reply address
    (when a reply-address key is set), which the relay reads replies from."""
    mail = EmailMessage()
    mail["From"] = sender
    if outgoing.takes_replies and reply_key:
        mail["Reply-To"] = reply_address(outgoing.delivery_id, reply_key, domain)
    mail["To"] = formataddr((outgoing.recipient_name, outgoing.address))
    mail["Subject"] = outgoing.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(outgoing.delivery_id, domain)
    mail[DELIVERY_HEADER] = outgoing.delivery_id
    mail.set_content(outgoing.text)
    for attachment in outgoing.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        mail.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return mail


def wire_bytes(mail: EmailMessage, international: bool = False) -> bytes:
    """The mail as it goes on the wire: CRLF lines, and a body line that starts with "From "
    (every message's sender line does) kept as it is. smtplib's send_message would write it as
    ">From ", an mbox habit residents would see in their mail."""
    # `utf8` is EmailPolicy's own option, which typeshed's clone() does not list.
    options: dict[str, Any] = {"linesep": "\r\n", "mangle_from_": False, "utf8": international}
    return mail.as_bytes(policy=mail.policy.clone(**options))


class SmtpEmailChannel:
    """Not thread-safe: each worker thread holds its own."""

    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        domain: str,
        *,
        username: str = "",
        password: str = "",
        starttls: bool = False,
        timeout: float = 10.0,
        reply_key: bytes = b"",
    ) -> None:
        self._host, self._port, self._sender, self._domain = host, port, sender, domain
        self._username, self._password = username, password
        self._starttls, self._timeout = starttls, timeout
        self._reply_key = reply_key
        self._smtp: smtplib.SMTP | None = None

    def address_of(self, email: str, phone: str) -> str:
        return email

    def send(self, outgoing: Outgoing) -> Attempt:
        mail = build_email(outgoing, self._sender, self._domain, self._reply_key)
        try:
            envelope_from = parseaddr(self._sender)[1]
            international = not (envelope_from + outgoing.address).isascii()
            refused = self._connection().sendmail(
                envelope_from,
                [outgoing.address],
                wire_bytes(mail, international),
                mail_options=["SMTPUTF8", "BODY=8BITMIME"] if international else [],
            )
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            return _refused(code, reply)
        except smtplib.SMTPResponseException as error:
            self._reset()
            return _refused(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            self._reset()
            return Attempt(Verdict.RETRY, f"smtp: {type(error).__name__}: {error}"[:300])
        if refused:
            code, reply = next(iter(refused.values()))
            return _refused(code, reply)
        return Attempt(Verdict.SENT, provider_reference=mail["Message-ID"])

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            if self._starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self._username:
                smtp.login(self._username, self._password)
            self._smtp = smtp
        return self._smtp

    def _reset(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
        self._reset()


def _refused(code: int, reply: bytes | str) -> Attempt:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    detail = f"smtp {code} {text}"[:300]
    if 400 <= code < 500:
        return Attempt(Verdict.RETRY, detail)
    # 550/551/553 and enhanced status 5.1.x say the mailbox or address is bad.
    if code in (550, 551, 553) or text.startswith("5.1."):
        return Attempt(Verdict.BOUNCED, detail)
    return Attempt(Verdict.FAILED, detail)
