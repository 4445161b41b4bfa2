"""Governance of police alerts: which alerts wait for a second officer, what a waiting alert
may become, and when a sent one may be corrected or withdrawn. Pure decisions over the
alert's own events; who may take each step is the policy's (a sender never approves their
own), not this module's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from google.protobuf.message import Message

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.domain.messages import (
    AudienceType,
    Draft,
    MessageRuleBroken,
    Priority,
    check_draft,
)

# The account kinds whose messages are the force's alerts (the policy's `sender_kind`).
ALERT_SENDERS = ("police", "tenant_admin")
MAX_REASON = 1000


class AlertState(StrEnum):
    NONE = ""  # no such alert held (a message sent at once, or an unknown id)
    WAITING = "waiting"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class FollowUpKind(StrEnum):
    CORRECTION = "correction"
    WITHDRAWAL = "withdrawal"


class AlertStateConflict(Exception):
    """A step the alert's state does not allow now (409): deciding twice, editing a sent one,
    correcting one that was withdrawn."""


@dataclass(frozen=True)
class ApprovalRule:
    """The force's rule: which police alerts wait for a second officer (none until set)."""

    force_wide: bool = False  # alerts to the whole force: they reach the most people
    urgent: bool = False  # urgent alerts to any audience: they alarm people most


def rule_of(changed: pb.AlertApprovalRuleChanged) -> ApprovalRule:
    """The rule an event set. One recorded before the rule was split has only `required`,
    which meant both kinds together, so it reads as both (events are never repurposed)."""
    if changed.split:
        return ApprovalRule(changed.force_wide, changed.urgent)
    return ApprovalRule(changed.required, changed.required)


def rule_changed(rule: ApprovalRule) -> pb.AlertApprovalRuleChanged:
    """The event for a new rule; `required` (either waits) keeps older readers on the safe
    side: they hold both kinds while any is held."""
    return pb.AlertApprovalRuleChanged(
        required=rule.force_wide or rule.urgent,
        split=True,
        force_wide=rule.force_wide,
        urgent=rule.urgent,
    )


def needs_second_officer(
    rule: ApprovalRule, sender_kind: str, audience: AudienceType, priority: Priority
) -> bool:
    """Under the force's rule, a police alert to the whole force, or of the highest priority,
    waits (each as the force chose): two officers agree first."""
    if sender_kind not in ALERT_SENDERS:
        return False
    force_wide = rule.force_wide and audience is AudienceType.TENANT
    return force_wide or (rule.urgent and priority is Priority.URGENT)


@dataclass(frozen=True)
class HeldAlert:
    """An alert's governance so far, folded from its stream."""

    alert_id: str
    sender_id: str
    state: AlertState
    withdrawn_after_sending: bool = False  # a MessageFollowedUp withdrawal

    @property
    def sent(self) -> bool:
        return self.state is AlertState.APPROVED


def fold(alert_id: str, events: Iterable[Message]) -> HeldAlert:
    """The alert's state from its `message:<id>` stream (a message sent at once is APPROVED:
    it went out, and can be followed up like an approved one)."""
    alert = HeldAlert(alert_id, "", AlertState.NONE)
    for event in events:
        if isinstance(event, pb.AlertHeld):
            alert = HeldAlert(alert_id, event.sender.account_id, AlertState.WAITING)
        elif isinstance(event, pb.MessageSent):
            alert = HeldAlert(alert_id, event.sender.account_id, AlertState.APPROVED)
        elif isinstance(event, pb.AlertRejected):
            alert = HeldAlert(alert_id, alert.sender_id, AlertState.REJECTED)
        elif isinstance(event, pb.AlertWithdrawn):
            alert = HeldAlert(alert_id, alert.sender_id, AlertState.WITHDRAWN)
        elif isinstance(event, pb.MessageFollowedUp) and event.kind == FollowUpKind.WITHDRAWAL:
            alert = HeldAlert(alert_id, alert.sender_id, alert.state, withdrawn_after_sending=True)
    return alert


def check_reason(reason: str, *, required: bool) -> str:
    """The reason trimmed (MessageRuleBroken when it is missing but needed, or too long)."""
    reason = reason.strip()
    if required and not reason:
        raise MessageRuleBroken(["reason must not be empty"])
    if len(reason) > MAX_REASON:
        raise MessageRuleBroken([f"reason is longer than {MAX_REASON} characters"])
    return reason


def _waiting(alert: HeldAlert) -> None:
    if alert.state is AlertState.NONE:
        raise AlertStateConflict("no such alert is waiting")
    if alert.state is not AlertState.WAITING:
        raise AlertStateConflict(f"the alert is {alert.state.value}, not waiting")


def approve(alert: HeldAlert, by: str, reason: str) -> pb.AlertApproved:
    _waiting(alert)
    return pb.AlertApproved(
        alert_id=alert.alert_id, approved_by=by, reason=check_reason(reason, required=False)
    )


def reject(alert: HeldAlert, by: str, reason: str) -> pb.AlertRejected:
    """A rejection always says why: the sender needs to know what to change."""
    _waiting(alert)
    return pb.AlertRejected(
        alert_id=alert.alert_id, rejected_by=by, reason=check_reason(reason, required=True)
    )


def withdraw_waiting(alert: HeldAlert, by: str, reason: str) -> pb.AlertWithdrawn:
    _waiting(alert)
    return pb.AlertWithdrawn(
        alert_id=alert.alert_id, withdrawn_by=by, reason=check_reason(reason, required=False)
    )


def edit(alert: HeldAlert, draft: Draft) -> pb.AlertEdited:
    """New words for a waiting alert (its audience stays: approval is of whom it reaches)."""
    _waiting(alert)
    checked = check_draft(draft)
    return pb.AlertEdited(
        alert_id=alert.alert_id,
        subject=checked.subject,
        body=checked.body,
        message_type=checked.message_type.value,
        priority=checked.priority.value,
    )


def check_follow_up(alert: HeldAlert) -> None:
    """A correction or a withdrawal goes only after the original went, and never after it was
    withdrawn (a correction then would bring it back)."""
    if not alert.sent:
        raise AlertStateConflict("the message has not been sent")
    if alert.withdrawn_after_sending:
        raise AlertStateConflict("the message was already withdrawn")
