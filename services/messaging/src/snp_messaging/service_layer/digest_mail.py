"""The words of a digest: one mail listing each message held for it (subject, who sent it
and when, on London's clock, and its page in the inbox). Senders are named by their role and
force, as held in messaging: names are identity's, and a digest's text is kept with it."""

from __future__ import annotations

from snp_messaging.adapters.digests import HeldMessage
from snp_messaging.domain.digests import Cadence
from snp_messaging.domain.london import local

INBOX_LINK = "{base}/inbox/{message_id}"


def digest_subject(cadence: Cadence, count: int) -> str:
    noun = "message" if count == 1 else "messages"
    return f"Your {cadence.value} digest: {count} {noun}"


def digest_body(cadence: Cadence, held: list[HeldMessage], portal_base_url: str) -> str:
    base = portal_base_url.rstrip("/")
    lines = [
        f"The messages you asked to have in your {cadence.value} digest, since your last one.",
        "Each is in your inbox too:",
    ]
    for number, message in enumerate(held, start=1):
        when = local(message.sent_at).strftime("%-d %B %Y at %H:%M")
        sender = ", ".join(p for p in (message.sender_role, message.sender_force) if p)
        lines += [
            "",
            f"{number}. {message.subject}",
            f"   From {sender or 'the platform'}, {when}",
            "   " + INBOX_LINK.format(base=base, message_id=message.message_id),
        ]
    lines += ["", "Change how often you get these in your messaging preferences."]
    return "\n".join(lines)
