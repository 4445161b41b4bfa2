"""Governance of police alerts, the domain's part: which alerts wait for a second officer,
what a held alert's events make of it, and which steps each state allows (exact events);
and the handlers as far as they go without PostgreSQL: the policy asked, a deny obeyed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from psycopg_pool import PoolClosed

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters.directory import Directory
from snp_messaging.domain import approvals as rules
from snp_messaging.domain.approvals import AlertState, AlertStateConflict, HeldAlert
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    MessageType,
    Priority,
)
from snp_messaging.service_layer import approvals
from snp_messaging.service_layer.context import MessagingContext
from snp_messaging.settings import MessagingSettings
from snp_platform.eventstore import EventMetadata
from snp_platform.opa import Decision
from snp_platform.problems import Problem
from snp_platform.testing import FakePolicyClient, unopened_pool
from snp_platform.tokens import Principal

HELD = pb.AlertHeld(alert_id="a1", sender=pb.Sender(account_id="pc1", kind="police"))
WAITING = HeldAlert("a1", "pc1", AlertState.WAITING)


BOTH = rules.ApprovalRule(force_wide=True, urgent=True)
FORCE_WIDE = rules.ApprovalRule(force_wide=True)
URGENT = rules.ApprovalRule(urgent=True)
NONE = rules.ApprovalRule()


@pytest.mark.parametrize(
    ("rule", "kind", "audience", "priority", "waits"),
    [
        (BOTH, "police", AudienceType.TENANT, Priority.LOW, True),
        (BOTH, "tenant_admin", AudienceType.WARD, Priority.URGENT, True),
        (BOTH, "police", AudienceType.GROUP, Priority.URGENT, True),
        (BOTH, "police", AudienceType.WARD, Priority.HIGH, False),
        (BOTH, "member", AudienceType.GROUP, Priority.URGENT, False),  # a group's own officers
        (BOTH, "partner", AudienceType.TENANT, Priority.URGENT, False),  # not a police alert
        (NONE, "police", AudienceType.TENANT, Priority.URGENT, False),  # the force's rule off
        # Each setting alone holds only its own kind.
        (FORCE_WIDE, "police", AudienceType.TENANT, Priority.LOW, True),
        (FORCE_WIDE, "police", AudienceType.GROUP, Priority.URGENT, False),
        (FORCE_WIDE, "police", AudienceType.TENANT, Priority.URGENT, True),
        (URGENT, "police", AudienceType.GROUP, Priority.URGENT, True),
        (URGENT, "police", AudienceType.TENANT, Priority.HIGH, False),
        (URGENT, "partner", AudienceType.WARD, Priority.URGENT, False),
    ],
)
def test_force_wide_and_urgent_police_alerts_wait_under_the_forces_rule(
    rule: rules.ApprovalRule, kind: str, audience: AudienceType, priority: Priority, waits: bool
) -> None:
    assert rules.needs_second_officer(rule, kind, audience, priority) is waits


def test_a_rule_recorded_before_the_split_reads_as_both_settings() -> None:
    assert rules.rule_of(pb.AlertApprovalRuleChanged(required=True)) == BOTH
    assert rules.rule_of(pb.AlertApprovalRuleChanged(required=False)) == NONE


def test_a_split_rule_round_trips_and_keeps_required_for_older_readers() -> None:
    for rule in (BOTH, FORCE_WIDE, URGENT, NONE):
        event = rules.rule_changed(rule)
        assert event.split and rules.rule_of(event) == rule
        assert event.required is (rule.force_wide or rule.urgent)


def test_a_held_alert_folds_to_its_state() -> None:
    assert rules.fold("a1", []) == HeldAlert("a1", "", AlertState.NONE)
    assert rules.fold("a1", [HELD]) == WAITING
    approved = [HELD, pb.AlertApproved(alert_id="a1"), pb.MessageSent(sender=HELD.sender)]
    assert rules.fold("a1", approved).state is AlertState.APPROVED
    assert rules.fold("a1", [HELD, pb.AlertRejected()]).state is AlertState.REJECTED
    withdrawn = rules.fold("a1", [HELD, pb.AlertWithdrawn()])
    assert withdrawn == HeldAlert("a1", "pc1", AlertState.WITHDRAWN)


def test_a_message_sent_at_once_counts_as_sent_and_a_withdrawal_after_is_remembered() -> None:
    sent = pb.MessageSent(message_id="m1", sender=pb.Sender(account_id="pc1"))
    assert rules.fold("m1", [sent]) == HeldAlert("m1", "pc1", AlertState.APPROVED)
    corrected = pb.MessageFollowedUp(message_id="m1", kind="correction")
    assert not rules.fold("m1", [sent, corrected]).withdrawn_after_sending
    withdrawn = pb.MessageFollowedUp(message_id="m1", kind="withdrawal")
    assert rules.fold("m1", [sent, corrected, withdrawn]).withdrawn_after_sending


def test_a_waiting_alert_is_approved_rejected_or_withdrawn_with_the_reason() -> None:
    assert rules.approve(WAITING, "pc2", " checked ") == pb.AlertApproved(
        alert_id="a1", approved_by="pc2", reason="checked"
    )
    assert rules.reject(WAITING, "pc2", "wrong ward") == pb.AlertRejected(
        alert_id="a1", rejected_by="pc2", reason="wrong ward"
    )
    assert rules.withdraw_waiting(WAITING, "pc1", "") == pb.AlertWithdrawn(
        alert_id="a1", withdrawn_by="pc1"
    )


def test_a_rejection_says_why_and_no_reason_is_too_long() -> None:
    with pytest.raises(MessageRuleBroken, match="reason must not be empty"):
        rules.reject(WAITING, "pc2", "   ")
    with pytest.raises(MessageRuleBroken, match="longer than"):
        rules.approve(WAITING, "pc2", "x" * (rules.MAX_REASON + 1))


@pytest.mark.parametrize("state", [AlertState.APPROVED, AlertState.REJECTED, AlertState.WITHDRAWN])
def test_a_decided_alert_is_never_decided_again_nor_edited(state: AlertState) -> None:
    decided = HeldAlert("a1", "pc1", state)
    draft = Draft("s", "b", MessageType.ALERT, Priority.URGENT, Audience(AudienceType.TENANT, ""))
    steps: list[Callable[[], object]] = [
        lambda: rules.approve(decided, "pc2", ""),
        lambda: rules.reject(decided, "pc2", "no"),
        lambda: rules.withdraw_waiting(decided, "pc1", ""),
        lambda: rules.edit(decided, draft),
    ]
    for step in steps:
        with pytest.raises(AlertStateConflict, match=f"the alert is {state.value}"):
            step()


def test_an_edit_is_checked_like_a_draft_and_keeps_only_the_words() -> None:
    audience = Audience(AudienceType.TENANT, "")
    draft = Draft(" Gas leak ", " Stay in. ", MessageType.ALERT, Priority.HIGH, audience)
    assert rules.edit(WAITING, draft) == pb.AlertEdited(
        alert_id="a1", subject="Gas leak", body="Stay in.", message_type="alert", priority="high"
    )
    with pytest.raises(MessageRuleBroken, match="body must not be empty"):
        rules.edit(WAITING, Draft("s", " ", MessageType.ALERT, Priority.HIGH, audience))


def test_only_a_sent_message_not_yet_withdrawn_is_followed_up() -> None:
    rules.check_follow_up(HeldAlert("m1", "pc1", AlertState.APPROVED))
    for alert in (
        WAITING,
        HeldAlert("a1", "pc1", AlertState.REJECTED),
        HeldAlert("m1", "", AlertState.NONE),
    ):
        with pytest.raises(AlertStateConflict, match="has not been sent"):
            rules.check_follow_up(alert)
    withdrawn = HeldAlert("m1", "pc1", AlertState.APPROVED, withdrawn_after_sending=True)
    with pytest.raises(AlertStateConflict, match="already withdrawn"):
        rules.check_follow_up(withdrawn)


def _context(policy: FakePolicyClient) -> MessagingContext:
    directory = cast(Directory, object())  # identity's gRPC directory: not reached here
    return MessagingContext(unopened_pool(), policy, directory, MessagingSettings())


def _police(kind: str = "police") -> Principal:
    now = datetime.now(UTC)
    return Principal("pc1", "met", kind, ("pwd", "otp"), "jti-1", now + timedelta(minutes=5), now)


def test_the_forces_rule_is_asked_of_the_policy_and_a_deny_stops_before_the_database() -> None:
    policy = FakePolicyClient(lambda _s, _a, _r: Decision(False, ("action_not_allowed_for_kind",)))
    ctx = _context(policy)
    with pytest.raises(Problem) as read:
        approvals.approval_rule(ctx, _police())
    with pytest.raises(Problem):
        approvals.set_approval_rule(ctx, _police(), (True, None), EventMetadata(actor="pc1"))
    with pytest.raises(Problem):
        approvals.waiting_alerts(ctx, _police("partner"), 50)
    assert read.value.status == 403  # and the unopened pool was never reached
    rule = {"type": "alert_rules", "id": "met", "tenant": "met"}
    listed = {"type": "alerts", "id": "met", "tenant": "met"}
    assert [(a.input["action"], a.input["resource"]) for a in policy.asked] == [
        ("messaging.alert_rules.manage", rule),
        ("messaging.alert_rules.manage", rule),
        ("messaging.alerts.list", listed),
    ]


def test_an_allowed_rule_goes_on_to_the_database() -> None:
    policy = FakePolicyClient(table={"messaging.alert_rules.manage": True})
    with pytest.raises(PoolClosed):  # where a unit test must stop: the rule is a SQL row
        approvals.approval_rule(_context(policy), _police("tenant_admin"))


def test_the_rules_body_takes_the_two_settings_or_the_old_flag_never_both() -> None:
    from pydantic import ValidationError

    from snp_messaging.entrypoints.schemas import ApprovalRuleIn

    assert ApprovalRuleIn(urgent=True).choice() == (None, True)
    assert ApprovalRuleIn(force_wide=False, urgent=True).choice() == (False, True)
    assert ApprovalRuleIn(approval_required=True).choice() == (True, True)
    for bad in ({}, {"approval_required": True, "urgent": False}):
        with pytest.raises(ValidationError):
            ApprovalRuleIn(**bad)
