"""Messages and their audiences: what may be sent, decided without any I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from snp_messaging.domain.feedback import PollDraft, PollRuleBroken, check_poll

MAX_SUBJECT = 200
MAX_BODY = 20_000


class MessageType(StrEnum):
    CRIME_UPDATE = "crime_update"
    APPEAL = "appeal"
    EVENT = "event"
    WARD_PANEL_BUSINESS = "ward_panel_business"
    ALERT = "alert"
    GENERAL = "general"
    DOCUMENT = "document"  # a forwarded document's notification (never sent through the API)
    ACCOUNT = "account"  # about the recipient's own account, e.g. a password reset (identity asks)
    DIGEST = "digest"  # a member's digest of messages held for it (never through the API)
    REPLY = "reply"  # a reply team's answer to a member's reply (never through the API)


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return list(Priority).index(self)


class AudienceType(StrEnum):
    GROUP = "group"  # a group or a ward panel: its members
    WARD = "ward"  # members who opted in for that ward
    TENANT = "tenant"  # members who opted in for any area of the force
    MAILING_LIST = "mailing_list"  # a group's mailing list (documents'): its members
    ACCOUNT = "account"  # one account, about itself (never through the API)
    EVENT = "event"  # those registered for an engagement event (engagement's events only)


class MessageRuleBroken(ValueError):
    """A message that cannot be sent as it stands (answered 422 with the reasons)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Audience:
    type: AudienceType
    id: str
    group_id: str = ""


@dataclass(frozen=True)
class Sender:
    """Who sent a message. Their name is not kept here (personal data lives only in identity):
    it is looked up from identity's directory whenever the message is shown or delivered."""

    account_id: str
    role: str
    force: str
    kind: str = ""  # the account's kind: what makes a message a police alert
    agency_id: str = ""  # a partner's agency, the one its token names


@dataclass(frozen=True)
class Draft:
    """What a sender asked to send, before recipients are known."""

    subject: str
    body: str
    message_type: MessageType
    priority: Priority
    audience: Audience
    attachment_ids: tuple[str, ...] = field(default_factory=tuple)
    poll: PollDraft | None = None  # a poll the recipients answer (domain/feedback.py)
    anonymous_replies: bool = False  # a police alert's recipients may reply anonymously


def check_draft(draft: Draft) -> Draft:
    """The draft with surrounding blanks trimmed, or MessageRuleBroken listing every problem."""
    subject, body = draft.subject.strip(), draft.body.strip()
    problems = []
    if not subject:
        problems.append("subject must not be empty")
    if len(subject) > MAX_SUBJECT:
        problems.append(f"subject is longer than {MAX_SUBJECT} characters")
    if not body:
        problems.append("body must not be empty")
    if len(body) > MAX_BODY:
        problems.append(f"body is longer than {MAX_BODY} characters")
    if draft.message_type is MessageType.DOCUMENT:
        problems.append("document notifications come from forwarded documents only")
    if draft.message_type is MessageType.ACCOUNT or draft.audience.type is AudienceType.ACCOUNT:
        problems.append("account mail comes from identity's events only")
    if draft.message_type is MessageType.DIGEST:
        problems.append("digests are made by the digest job only")
    if draft.message_type is MessageType.REPLY:
        problems.append("answers to replies are sent from the reply's thread only")
    if draft.audience.type is AudienceType.EVENT:
        problems.append("an event's registrants are told by the event's own changes")
    if len(set(draft.attachment_ids)) != len(draft.attachment_ids):
        problems.append("an attachment is listed twice")
    poll = draft.poll
    if poll is not None:
        try:
            poll = check_poll(poll)
        except PollRuleBroken as broken:
            problems.extend(broken.problems)
    if problems:
        raise MessageRuleBroken(problems)
    return Draft(
        subject,
        body,
        draft.message_type,
        draft.priority,
        draft.audience,
        draft.attachment_ids,
        poll,
        draft.anonymous_replies,
    )


def sender_role(kind: str, group_roles: list[str], group_name: str, agency_name: str = "") -> str:
    """How the sender is introduced: their office in the group, a partner by their agency,
    else their account kind."""
    offices = [r for r in group_roles if r != "member"]
    if offices and group_name:
        return f"{offices[0].replace('_', ' ')} of {group_name}"
    if kind == "partner" and agency_name:
        return f"officer of {agency_name}"
    return {
        "police": "police officer",
        "tenant_admin": "force administrator",
    }.get(kind, kind.replace("_", " "))
