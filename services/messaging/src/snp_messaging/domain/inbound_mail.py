"""Mail that comes in to a reply address, read without any I/O: is it a reply a person wrote,
to which address, and what did they write above the history their mail client quoted.

Not replies: delivery status notifications (RFC 3464, the bounce handling's) and automatic
replies (RFC 3834's `Auto-Submitted`, and the older `X-Autoreply`, `X-Autorespond` and
`Precedence` habits of vacation programs and list servers)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from html.parser import HTMLParser

from snp_messaging.domain.replies import MAX_TEXT
from snp_messaging.domain.reply_addresses import token_in

# The sink writes the envelope recipient as X-Envelope-To; Postfix as Delivered-To or
# X-Original-To. Those say where the mail was sent even when To and Cc do not.
_ADDRESS_HEADERS = ("X-Envelope-To", "Delivered-To", "X-Original-To", "To", "Cc")
_AUTOMATIC_PRECEDENCE = {"auto_reply", "bulk", "junk"}
# "On Tue, 1 Dec 2026 at 09:00, Team <a@b> wrote:", which clients wrap over up to three lines.
_ATTRIBUTION = re.compile(r"^\s*On\s.{0,300}?\bwrote:\s*$", re.DOTALL)
_ORIGINAL_MESSAGE = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class InboundReply:
    """A mail a person wrote to one of our reply addresses."""

    token: str
    mail_message_id: str  # its own Message-ID: a mail delivered twice is recorded once
    text: str


def parse(raw: bytes) -> EmailMessage:
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(mail, EmailMessage)  # the default policy's message class
    return mail


def is_delivery_report(mail: EmailMessage) -> bool:
    return (
        mail.get_content_type() == "multipart/report"
        and str(mail.get_param("report-type", "")).lower() == "delivery-status"
    )


def is_automatic(mail: EmailMessage) -> bool:
    """An out-of-office or other machine's answer (RFC 3834 section 5 and common practice)."""
    submitted = str(mail.get("Auto-Submitted", "")).split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return True
    if mail.get("X-Autoreply") is not None or mail.get("X-Autorespond") is not None:
        return True
    return str(mail.get("Precedence", "")).strip().lower() in _AUTOMATIC_PRECEDENCE


def reply_token_of(mail: EmailMessage, mail_domain: str) -> str | None:
    """The token of the first reply address of ours the mail was sent to."""
    for header in _ADDRESS_HEADERS:
        values = [str(v) for v in mail.get_all(header, [])]
        for _, address in getaddresses(values):
            token = token_in(address, mail_domain)
            if token:
                return token
    return None


def read_reply(raw: bytes, mail_domain: str) -> InboundReply | None:
    """The reply in this mail, or None when it is no person's reply to one of our addresses."""
    mail = parse(raw)
    if is_delivery_report(mail) or is_automatic(mail):
        return None
    token = reply_token_of(mail, mail_domain)
    if token is None:
        return None
    # A mail without a Message-ID is known by its bytes: the same copy twice is still one.
    mail_id = str(mail.get("Message-ID", "")).strip() or f"sha256:{hashlib.sha256(raw).hexdigest()}"
    return InboundReply(token, mail_id, reply_text(mail))


def reply_text(mail: EmailMessage) -> str:
    """What the person wrote: the text/plain body (an HTML-only mail's text taken out of its
    markup), without the history quoted below it, at most MAX_TEXT characters."""
    body = mail.get_body(preferencelist=("plain",))
    if body is not None:
        text = body.get_content()
    else:
        markup = mail.get_body(preferencelist=("html",))
        text = html_text(markup.get_content()) if markup is not None else ""
    return without_quoted_history(str(text))[:MAX_TEXT].strip()


def without_quoted_history(text: str) -> str:
    """The text above the first "On ... wrote:" attribution (or "Original Message" line),
    with every `>` quoted line left out."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _ORIGINAL_MESSAGE.match(line):
            break
        if line.lstrip().startswith("On ") and any(
            _ATTRIBUTION.match(" ".join(lines[i : i + n])) for n in (1, 2, 3)
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


class _TextOfHtml(HTMLParser):
    _BREAKS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "blockquote"}
    _SKIPPED = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        if tag == "blockquote":  # the quoted history of an HTML reply
            self._quoting += 1
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1
        if tag == "blockquote" and self._quoting:
            self._quoting -= 1
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping and not self._quoting:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The text of an HTML body, simply: tags out, line breaks kept, quoted blocks dropped."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
