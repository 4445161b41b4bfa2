"""The fallback channel: an urgent message whose email to a member bounced or failed for good
goes to them by text message instead, once, and they are told their email failed. Less urgent
messages wait in the inbox: a member is not texted about a street party because a mailbox is
full."""

from __future__ import annotations

from snp_messaging.domain.deliveries import Status

FALLBACK_CHANNEL = "sms"
# What the text and the inbox notice say first, so the member knows why it came this way.
NOTICE_SUBJECT = "We could not deliver an urgent message to your email address"


def falls_back(priority: str, channel: str, outcome: str) -> bool:
    """Whether the failed delivery is replaced by a text message: only an urgent message's
    email that ended bounced or failed. A text never falls back (there is nothing after it),
    so a fallback never has a second one."""
    final_failure = outcome in (Status.BOUNCED.value, Status.FAILED.value)
    return priority == "urgent" and channel == "email" and final_failure


def text_notice() -> str:
    """The line a fallback text begins with (Notify's texts are short: one sentence)."""
    return "Your email could not be delivered, so this urgent message comes by text."


def inbox_notice(subject: str, outcome: str) -> str:
    """The inbox notice: which message, what happened, and what the member can do."""
    what = "was refused by your email provider" if outcome == "bounced" else "could not be sent"
    return "\n".join(
        [
            f"The email of the urgent message \u201c{subject}\u201d {what},",
            "so we sent it to you by text message instead.",
            "",
            "Check the email address on your account in your preferences: messages",
            "that are not urgent still go to it, and reach you only here until it works.",
        ]
    )
