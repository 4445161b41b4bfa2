"""Joining and leaving: requests, admission, rejection, leaving, removal, erasure."""

from __future__ import annotations

from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as pb
from snp_membership.domain.model import Group, GroupRuleBroken, Standing

ERASURE_ACTOR = "service:membership"


def request_join(group: Group, who: Standing, request_id: str) -> list[Message]:
    if group.status != "open":
        raise GroupRuleBroken("the group is closed")
    if who.is_member:
        raise GroupRuleBroken("already a member")
    if who.pending_request:
        raise GroupRuleBroken("a request to join is already waiting")
    return [pb.JoinRequested(group=group.ref(), request_id=request_id, account_id=who.account_id)]


def admit(group: Group, who: Standing, request_id: str, by: str) -> list[Message]:
    _pending(who, request_id)
    return [
        pb.MemberAdmitted(
            group=group.ref(), account_id=who.account_id, request_id=request_id, admitted_by=by
        )
    ]


def reject(group: Group, who: Standing, request_id: str, by: str) -> list[Message]:
    _pending(who, request_id)
    return [
        pb.JoinRejected(
            group=group.ref(), request_id=request_id, account_id=who.account_id, rejected_by=by
        )
    ]


def end_membership(group: Group, who: Standing, by: str) -> list[Message]:
    """The member leaves (by themself) or an officer removes them. The last chair or
    coordinator must hand over first: a group is never left without a leader this way."""
    if not who.is_member:
        raise GroupRuleBroken("not a member of this group")
    if group.leaders() == {who.account_id}:
        raise GroupRuleBroken("the last chair or coordinator must hand over before leaving")
    leaving = by == who.account_id
    events = _close_offices_and_markings(group, who, by, "left" if leaving else "removed")
    if leaving:
        events.append(pb.MemberLeft(group=group.ref(), account_id=who.account_id, reason="left"))
    else:
        events.append(pb.MemberRemoved(group=group.ref(), account_id=who.account_id, removed_by=by))
    return events


def erase_account(group: Group, who: Standing) -> list[Message]:
    """Identity erased the account: it leaves the group whatever it held. If it was the last
    chair or coordinator the group is flagged as needing one."""
    events: list[Message] = []
    if who.pending_request:
        events.append(
            pb.JoinRejected(
                group=group.ref(),
                request_id=who.pending_request,
                account_id=who.account_id,
                rejected_by=ERASURE_ACTOR,
            )
        )
    if not who.is_member:
        return events
    events += _close_offices_and_markings(group, who, ERASURE_ACTOR, "account_erased")
    events.append(
        pb.MemberLeft(group=group.ref(), account_id=who.account_id, reason="account_erased")
    )
    if group.leaders() == {who.account_id}:
        events.append(pb.GroupNeedsOfficer(group=group.ref(), reason="account_erased"))
    return events


def _pending(who: Standing, request_id: str) -> None:
    if who.pending_request != request_id:
        raise GroupRuleBroken("no such request waiting for a decision")


def _close_offices_and_markings(group: Group, who: Standing, by: str, reason: str) -> list[Message]:
    events: list[Message] = [
        pb.OfficerStoodDown(
            group=group.ref(),
            account_id=who.account_id,
            role=office,
            stood_down_by=by,
            reason=reason,
        )
        for office in sorted(group.officers.get(who.account_id, frozenset()))
    ]
    events += [
        pb.ApprovalWithdrawn(
            group=group.ref(),
            subject=subject,
            account_id=who.account_id,
            side=side,
            withdrawn_by=by,
            reason="membership_ended",
        )
        for subject, side in sorted(who.approvals)
    ]
    return events
