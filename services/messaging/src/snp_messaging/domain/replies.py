"""Replies to a message and its reply team's answers, decided without any I/O.

A recipient's replies to one message are one thread with the message's reply team (named
replies: the member's own thread, found again by their account). An anonymous reply is a
thread of its own that names no account, only a reference: nobody, the team included, can
tell who sent it, so nobody can be answered by it either."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from snp.messaging.v1 import events_pb2 as pb

MAX_TEXT = 5000
# A reference is read out over the phone: no 0/O or 1/I to confuse.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
ANONYMOUS = "anonymous"  # the actor of an anonymous reply's event


class ShareContact(StrEnum):
    NONE = "none"
    EMAIL = "email"
    PHONE = "phone"
    BOTH = "both"

    @property
    def email(self) -> bool:
        return self in (ShareContact.EMAIL, ShareContact.BOTH)

    @property
    def phone(self) -> bool:
        return self in (ShareContact.PHONE, ShareContact.BOTH)


class ReplyRuleBroken(ValueError):
    """A reply or an answer that breaks a rule the caller can fix (422), every problem listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Thread:
    """A thread as its team sees it: whose it is ('' when anonymous) and whether handled."""

    thread_id: str
    message_id: str
    account_id: str
    anonymous: bool
    status: str  # open | handled


def reference_of(random_bytes: bytes) -> str:
    """An anonymous reply's reference, e.g. "R-7KQ2M9XD", from REFERENCE_LENGTH random bytes."""
    if len(random_bytes) < REFERENCE_LENGTH:
        raise ValueError(f"a reference needs {REFERENCE_LENGTH} random bytes")
    n = len(REFERENCE_ALPHABET)
    return "R-" + "".join(REFERENCE_ALPHABET[b % n] for b in random_bytes[:REFERENCE_LENGTH])


def _text_problems(text: str) -> list[str]:
    if not text:
        return ["text must not be empty"]
    if len(text) > MAX_TEXT:
        return [f"text is longer than {MAX_TEXT} characters"]
    return []


def reply(
    thread_id: str,
    message_id: str,
    reply_id: str,
    account_id: str,
    text: str,
    share: ShareContact,
    *,
    anonymous: bool = False,
    reference: str = "",
) -> pb.ReplyPosted:
    """A recipient's reply with its text trimmed. An anonymous one names no account and shares
    nothing (sharing a contact would say who it is); ReplyRuleBroken lists every problem."""
    text = text.strip()
    problems = _text_problems(text)
    if anonymous and share is not ShareContact.NONE:
        problems.append("an anonymous reply cannot share your email or phone")
    if anonymous and (account_id or not reference):
        raise ValueError("an anonymous reply carries a reference and no account")
    if not anonymous and not account_id:
        raise ValueError("a named reply carries the account")
    if problems:
        raise ReplyRuleBroken(problems)
    return pb.ReplyPosted(
        thread_id=thread_id,
        message_id=message_id,
        reply_id=reply_id,
        account_id=account_id,
        text=text,
        share_contact=share.value,
        anonymous=anonymous,
        reference=reference,
    )


def answer(
    thread: Thread, reply_id: str, by: str, text: str, answer_message_id: str
) -> pb.ReplyAnswered:
    """The team's answer to the thread's member (only to them): ReplyRuleBroken for bad text,
    or for an anonymous thread, which has nobody to go to."""
    text = text.strip()
    problems = _text_problems(text)
    if thread.anonymous:
        problems.append("an anonymous reply cannot be answered: nobody knows who sent it")
    if problems:
        raise ReplyRuleBroken(problems)
    return pb.ReplyAnswered(
        thread_id=thread.thread_id,
        reply_id=reply_id,
        answered_by=by,
        text=text,
        answer_message_id=answer_message_id,
    )


def handled(thread: Thread, by: str) -> list[pb.ReplyThreadHandled]:
    """Mark the thread handled; nothing if it is already (a member's new reply reopens it)."""
    if thread.status == "handled":
        return []
    return [pb.ReplyThreadHandled(thread_id=thread.thread_id, handled_by=by)]


def anonymous_allowed(message_id: str) -> pb.AnonymousRepliesAllowed:
    return pb.AnonymousRepliesAllowed(message_id=message_id)


def check_anonymous_replies(allowed: bool, sender_kind: str) -> list[str]:
    """Only police alerts (police or tenant admins' messages) may take anonymous replies."""
    if allowed and sender_kind not in ("police", "tenant_admin"):
        return ["only police alerts may take anonymous replies"]
    return []


def team_name(sender_kind: str, group_name: str, force: str) -> str:
    """The reply team as the member is told of it: the force's police for a police alert, the
    sending group's officers for a group's message."""
    if sender_kind in ("police", "tenant_admin") or not group_name:
        return f"the {force} police team" if force else "the police team"
    return f"the officers of {group_name}"
