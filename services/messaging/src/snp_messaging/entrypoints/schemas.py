"""Request bodies of messaging's REST API (pydantic validates; the domain decides the rest)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from snp_messaging.domain.messages import AudienceType, MessageType, Priority
from snp_messaging.domain.replies import ShareContact
from snp_platform.bodies import RequestBody


class AudienceIn(RequestBody):
    type: AudienceType
    id: str = Field(default="", max_length=200)


class PollIn(RequestBody):
    """A poll for the recipients (the domain checks its question and its 2 to 10 options)."""

    question: str = Field(max_length=1000)
    options: list[str] = Field(max_length=50)
    multiple: bool = False


class MessageIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"body"})
    subject: str = Field(max_length=1000)
    body: str = Field(max_length=100_000)
    type: MessageType = MessageType.GENERAL
    priority: Priority = Priority.NORMAL
    audience: AudienceIn
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    poll: PollIn | None = None
    anonymous_replies: bool = False  # police alerts only: recipients may reply anonymously


class RatingIn(RequestBody):
    """A recipient's rating of a message: useful or not, and an optional comment."""

    free_text: ClassVar[frozenset[str]] = frozenset({"comment"})
    useful: bool
    comment: str = Field(default="", max_length=5000)


class PollAnswerIn(RequestBody):
    """The options chosen, by their positions in the poll (from 0)."""

    choices: list[int] = Field(max_length=20)


class ProviderChoiceIn(RequestBody):
    id: str = Field(min_length=1, max_length=100)
    on: bool


class QuietHoursIn(RequestBody):
    start: str = Field(max_length=10)  # "22:00", London time
    end: str = Field(max_length=10)


class PreferencesIn(RequestBody):
    channels: list[str] = Field(max_length=5)
    areas: list[str] = Field(default_factory=list, max_length=200)
    minimum_priority: Priority = Priority.LOW
    # The member's choice per information provider; left out, their choices stay as they are.
    providers: list[ProviderChoiceIn] | None = Field(default=None, max_length=500)
    # Left out, each stays as it is; checked by the domain (one 422 listing every fault).
    digest: str | None = Field(default=None, max_length=20)  # none | daily | weekly
    digest_below: str | None = Field(default=None, max_length=20)  # normal | high | urgent
    quiet_hours: QuietHoursIn | None = None  # null: no quiet hours


class DigestScheduleIn(RequestBody):
    time: str = Field(max_length=10)  # "07:00", London time
    weekday: str = Field(max_length=20)  # of weekly digests: monday .. sunday


class ProviderDefaultsIn(RequestBody):
    on: list[str] = Field(max_length=500)  # the providers on for members who never chose


class NotifyReceipt(BaseModel):
    """GOV.UK Notify's delivery receipt callback (only the fields used here)."""

    model_config = ConfigDict(extra="ignore")
    id: str
    reference: str | None = None
    status: str
    notification_type: str = ""


class ReasonIn(RequestBody):
    """Why a held alert is approved, rejected or withdrawn (a rejection must say)."""

    free_text: ClassVar[frozenset[str]] = frozenset({"reason"})
    reason: str = Field(default="", max_length=5000)


class WordingIn(RequestBody):
    """A waiting alert's new words (its audience stays the one to be approved)."""

    free_text: ClassVar[frozenset[str]] = frozenset({"body"})
    subject: str = Field(max_length=1000)
    body: str = Field(max_length=100_000)
    type: MessageType = MessageType.GENERAL
    priority: Priority = Priority.NORMAL


class FollowUpIn(RequestBody):
    """A correction or withdrawal of a sent alert: what it says (the subject defaults to the
    original's, marked), and why."""

    free_text: ClassVar[frozenset[str]] = frozenset({"body", "reason"})
    subject: str = Field(default="", max_length=1000)
    body: str = Field(max_length=100_000)
    reason: str = Field(default="", max_length=5000)


class ApprovalRuleIn(RequestBody):
    """Which police alerts wait for a second officer; a setting left out stays as it is.
    `approval_required` (the rule before it was split) sets both at once."""

    force_wide: bool | None = None  # alerts to the whole force
    urgent: bool | None = None  # urgent alerts, to any audience
    approval_required: bool | None = None

    @model_validator(mode="after")
    def one_way_of_saying_it(self) -> ApprovalRuleIn:
        split = self.force_wide is not None or self.urgent is not None
        if split == (self.approval_required is not None):
            raise ValueError("give force_wide and/or urgent, or approval_required, not both")
        return self

    def choice(self) -> tuple[bool | None, bool | None]:
        if self.approval_required is not None:
            return self.approval_required, self.approval_required
        return self.force_wide, self.urgent


class ReplyIn(RequestBody):
    """A recipient's reply: its text, what of their contact details the reply team may see,
    and (a police alert that takes them) whether it is anonymous."""

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    text: str = Field(max_length=20_000)
    share_contact: ShareContact = ShareContact.NONE
    anonymous: bool = False


class AnswerIn(RequestBody):
    """The reply team's answer to a thread's member."""

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    text: str = Field(max_length=20_000)
