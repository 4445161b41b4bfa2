"""Officers and approval markings: commands in, events out."""

from __future__ import annotations

from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as pb
from snp_membership.domain.model import (
    APPROVAL_SUBJECTS,
    LEADING_OFFICES,
    OFFICES,
    SIDES,
    SINGLE_HOLDER_OFFICES,
    Group,
    GroupRuleBroken,
    InvalidGroupInput,
    Standing,
)


def appoint(group: Group, who: Standing, office: str, by: str) -> list[Message]:
    """Appoint a member to an office. A chair, vice-chair or secretary has one holder, so
    appointing a new one stands the old one down (for the chair: a hand-over)."""
    _known_office(group, office)
    if not who.is_member:
        raise GroupRuleBroken("only a member of the group can be appointed")
    if office in group.officers.get(who.account_id, frozenset()):
        raise GroupRuleBroken(f"already the group's {office}")
    events: list[Message] = []
    if office in SINGLE_HOLDER_OFFICES:
        reason = "handed_over" if office == "chair" else "replaced"
        for holder in group.holders(office):
            events.append(_stood_down(group, holder, office, by, reason))
            events += _coordinator_markings_lapse(group, holder, office, by)
    events.append(
        pb.OfficerAppointed(
            group=group.ref(), account_id=who.account_id, role=office, appointed_by=by
        )
    )
    return events


def stand_down(group: Group, account_id: str, office: str, by: str) -> list[Message]:
    """End an officer's term; the group's last chair or coordinator cannot go this way."""
    _known_office(group, office)
    if office not in group.officers.get(account_id, frozenset()):
        raise GroupRuleBroken(f"not the group's {office}")
    if office in LEADING_OFFICES and group.leaders() == {account_id}:
        remaining = group.officers[account_id] - {office}
        if not remaining & LEADING_OFFICES:
            raise GroupRuleBroken("the last chair or coordinator must hand over first")
    return [
        _stood_down(group, account_id, office, by, "stood_down"),
        *_coordinator_markings_lapse(group, account_id, office, by),
    ]


def mark(group: Group, who: Standing | None, subject: str, side: str, by: str) -> list[Message]:
    """Set one side's approval marking on the group, its coordinator or one of its members."""
    already = _marked(group, who, subject, side)
    if already:
        raise GroupRuleBroken(f"already marked by the {side} side")
    return [
        pb.ApprovalMarked(
            group=group.ref(),
            subject=subject,
            account_id=who.account_id if who else "",
            side=side,
            marked_by=by,
        )
    ]


def withdraw(group: Group, who: Standing | None, subject: str, side: str, by: str) -> list[Message]:
    """Withdraw one side's marking; the other side's stays exactly as it was."""
    if not _marked(group, who, subject, side):
        raise GroupRuleBroken(f"no marking of the {side} side to withdraw")
    return [
        pb.ApprovalWithdrawn(
            group=group.ref(),
            subject=subject,
            account_id=who.account_id if who else "",
            side=side,
            withdrawn_by=by,
            reason="withdrawn",
        )
    ]


def _marked(group: Group, who: Standing | None, subject: str, side: str) -> bool:
    problems = []
    if subject not in APPROVAL_SUBJECTS:
        problems.append(f"subject must be one of {', '.join(APPROVAL_SUBJECTS)}")
    if side not in SIDES:
        problems.append(f"side must be one of {', '.join(SIDES)}")
    if subject != "group" and who is None:
        problems.append("account_id is required to mark a coordinator or member")
    if subject == "group" and who is not None:
        problems.append("a marking on the group itself names no account_id")
    if problems:
        raise InvalidGroupInput(problems)
    if subject == "group":
        return side in group.approvals
    assert who is not None
    if not who.is_member:
        raise GroupRuleBroken("not a member of this group")
    if subject == "coordinator" and who.account_id not in group.leaders():
        raise GroupRuleBroken("not a chair or coordinator of this group")
    return (subject, side) in who.approvals


def _known_office(group: Group, office: str) -> None:
    if office not in OFFICES[group.group_type]:
        allowed = ", ".join(OFFICES[group.group_type])
        raise InvalidGroupInput([f"a {group.group_type} has these offices: {allowed}"])


def _stood_down(group: Group, account_id: str, office: str, by: str, reason: str) -> Message:
    event: Message = pb.OfficerStoodDown(
        group=group.ref(), account_id=account_id, role=office, stood_down_by=by, reason=reason
    )
    return event


def _coordinator_markings_lapse(
    group: Group, account_id: str, office: str, by: str
) -> list[Message]:
    """A coordinator's approval marking is about them leading; it lapses with the last lead."""
    remaining = group.officers.get(account_id, frozenset()) - {office}
    if office not in LEADING_OFFICES or remaining & LEADING_OFFICES:
        return []
    return [
        pb.ApprovalWithdrawn(
            group=group.ref(),
            subject="coordinator",
            account_id=account_id,
            side=side,
            withdrawn_by=by,
            reason="office_ended",
        )
        for side in sorted(group.coordinator_marks.get(account_id, frozenset()))
    ]
