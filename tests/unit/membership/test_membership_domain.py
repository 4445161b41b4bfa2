"""Membership's pure domain: founding, joining, offices, markings, erasure (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

import pytest
from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as pb
from snp_membership.domain import founding, joining, offices
from snp_membership.domain.events import EVENT_TYPES, event_type, parse_event
from snp_membership.domain.model import (
    Group,
    GroupRuleBroken,
    InvalidGroupInput,
    KnownAccount,
    Standing,
)

M = TypeVar("M", bound=Message)
WATCH = Group(
    group_id="g1",
    tenant="met",
    group_type="neighbourhood_watch",
    ward_code="E05000138",
    ward_name="Bloomsbury",
    name="Bedford Square Watch",
    description="",
    visibility="public",
    directory="officers",
    status="open",
    version=3,
    officers={"coord": frozenset({"coordinator"})},
)
PANEL = replace(WATCH, group_type="ward_panel", officers={"chair": frozenset({"chair"})})


def kinds(events: list[Message]) -> list[str]:
    return [type(e).__name__ for e in events]


def the(kind: type[M], event: Message) -> M:
    """`event`, checked to be a `kind` (the domain returns plain Messages)."""
    assert isinstance(event, kind), f"{type(event).__name__} is not a {kind.__name__}"
    return event


def test_founding_a_watch_group_makes_its_founder_member_and_coordinator() -> None:
    spec = founding.NewGroup("neighbourhood_watch", "E05000138", "Bloomsbury", "Square Watch")
    events = founding.create_group("g1", "met", spec, "alice", "alice")
    assert kinds(events) == ["GroupCreated", "MemberAdmitted", "OfficerAppointed"]
    appointed = the(pb.OfficerAppointed, events[2])
    assert appointed.role == "coordinator" and appointed.account_id == "alice"
    groups = [
        the(pb.GroupCreated, events[0]).group,
        the(pb.MemberAdmitted, events[1]).group,
        appointed.group,
    ]
    assert all(g.tenant == "met" and g.group_type == spec.group_type for g in groups)


def test_a_ward_panel_is_chaired_by_the_named_member_not_its_police_creator() -> None:
    spec = founding.NewGroup("ward_panel", "E05000138", "Bloomsbury", "Bloomsbury Panel")
    events = founding.create_group("g2", "met", spec, "police-1", "resident-7")
    assert the(pb.MemberAdmitted, events[1]).account_id == "resident-7"
    assert the(pb.OfficerAppointed, events[2]).role == "chair"
    assert the(pb.GroupCreated, events[0]).created_by == "police-1"


def test_a_named_first_chair_is_a_known_member_account_not_erased() -> None:
    founding.check_named_first_chair(KnownAccount("resident-7", "met", "member"))
    for refused in (
        None,
        KnownAccount("officer-1", "met", "police"),
        KnownAccount("resident-8", "met", "member", erased=True),
        KnownAccount("resident-9", "met", "unknown", erased=True),
    ):
        with pytest.raises(InvalidGroupInput, match="first_chair must be a member account"):
            founding.check_named_first_chair(refused)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("group_type", "book_club"),
        ("name", " "),
        ("ward_code", "no spaces allowed"),
        ("ward_name", ""),
        ("visibility", "secret"),
        ("directory", "everyone"),
    ],
)
def test_founding_refuses_bad_values(field: str, value: str) -> None:
    spec = founding.NewGroup("community_group", "W1", "Ward", "Name")
    with pytest.raises(InvalidGroupInput):
        founding.create_group("g", "met", replace(spec, **{field: value}), "a", "a")


def test_updates_change_only_what_differs_and_a_closed_group_stays_closed() -> None:
    events = founding.update_group(WATCH, "coord", name="New name", visibility="hidden")
    assert kinds(events) == ["GroupUpdated", "GroupVisibilityChanged"]
    with pytest.raises(GroupRuleBroken):
        founding.update_group(WATCH, "coord", name=WATCH.name)
    closed = replace(WATCH, status="closed")
    with pytest.raises(GroupRuleBroken):
        founding.update_group(closed, "coord", description="x")
    with pytest.raises(GroupRuleBroken):
        joining.request_join(closed, Standing("bob"), "r1")


def test_joining_needs_one_waiting_request_and_only_that_one_can_be_decided() -> None:
    events = joining.request_join(WATCH, Standing("bob"), "r1")
    assert kinds(events) == ["JoinRequested"]
    waiting = Standing("bob", pending_request="r1")
    with pytest.raises(GroupRuleBroken):
        joining.request_join(WATCH, waiting, "r2")
    with pytest.raises(GroupRuleBroken):
        joining.request_join(WATCH, Standing("bob", is_member=True), "r2")
    with pytest.raises(GroupRuleBroken):
        joining.admit(WATCH, waiting, "r-other", "coord")
    admitted = joining.admit(WATCH, waiting, "r1", "coord")
    assert kinds(admitted) == ["MemberAdmitted"]
    assert the(pb.MemberAdmitted, admitted[0]).admitted_by == "coord"
    assert kinds(joining.reject(WATCH, waiting, "r1", "coord")) == ["JoinRejected"]
    with pytest.raises(GroupRuleBroken):
        joining.admit(WATCH, Standing("bob", is_member=True), "r1", "coord")


def test_leaving_is_left_removal_is_removed_and_offices_and_markings_end_first() -> None:
    group = replace(
        WATCH, officers={"coord": frozenset({"coordinator"}), "c2": frozenset({"coordinator"})}
    )
    marked = Standing("c2", is_member=True, approvals=frozenset({("coordinator", "police")}))
    left = joining.end_membership(group, marked, "c2")
    assert kinds(left) == ["OfficerStoodDown", "ApprovalWithdrawn", "MemberLeft"]
    assert the(pb.OfficerStoodDown, left[0]).reason == "left"
    assert the(pb.MemberLeft, left[2]).reason == "left"
    removed = joining.end_membership(group, Standing("bob", is_member=True), "coord")
    assert kinds(removed) == ["MemberRemoved"]
    assert the(pb.MemberRemoved, removed[0]).removed_by == "coord"
    with pytest.raises(GroupRuleBroken):
        joining.end_membership(group, Standing("stranger"), "coord")


def test_the_last_leader_cannot_leave_or_stand_down_without_handing_over() -> None:
    with pytest.raises(GroupRuleBroken):
        joining.end_membership(WATCH, Standing("coord", is_member=True), "coord")
    with pytest.raises(GroupRuleBroken):
        offices.stand_down(WATCH, "coord", "coordinator", "coord")
    with pytest.raises(GroupRuleBroken):
        offices.stand_down(PANEL, "chair", "chair", "chair")


def test_handing_over_the_chair_stands_the_old_chair_down_in_the_same_decision() -> None:
    events = offices.appoint(PANEL, Standing("vice", is_member=True), "chair", "chair")
    assert kinds(events) == ["OfficerStoodDown", "OfficerAppointed"]
    stood_down, appointed = the(pb.OfficerStoodDown, events[0]), the(pb.OfficerAppointed, events[1])
    assert stood_down.account_id == "chair" and stood_down.reason == "handed_over"
    assert appointed.account_id == "vice" and appointed.role == "chair"


def test_watch_groups_may_have_several_coordinators_and_offices_follow_the_group_type() -> None:
    events = offices.appoint(WATCH, Standing("bob", is_member=True), "coordinator", "coord")
    assert kinds(events) == ["OfficerAppointed"]
    with pytest.raises(InvalidGroupInput):
        offices.appoint(WATCH, Standing("bob", is_member=True), "chair", "coord")
    with pytest.raises(InvalidGroupInput):
        offices.appoint(PANEL, Standing("bob", is_member=True), "coordinator", "chair")
    with pytest.raises(GroupRuleBroken):
        offices.appoint(WATCH, Standing("outsider"), "coordinator", "coord")
    two = replace(
        WATCH, officers={"coord": frozenset({"coordinator"}), "bob": frozenset({"coordinator"})}
    )
    assert kinds(offices.stand_down(two, "coord", "coordinator", "bob")) == ["OfficerStoodDown"]


def test_each_side_marks_and_withdraws_only_its_own_marking() -> None:
    marked = replace(WATCH, approvals=frozenset({"police"}))
    events = offices.mark(marked, None, "group", "area_coordinator", "ac")
    assert kinds(events) == ["ApprovalMarked"]
    assert the(pb.ApprovalMarked, events[0]).side == "area_coordinator"
    with pytest.raises(GroupRuleBroken):
        offices.mark(marked, None, "group", "police", "p")
    with pytest.raises(GroupRuleBroken):
        offices.withdraw(marked, None, "group", "area_coordinator", "ac")
    withdrawn = offices.withdraw(marked, None, "group", "police", "p")
    withdrawal = the(pb.ApprovalWithdrawn, withdrawn[0])
    assert withdrawal.side == "police" and withdrawal.reason == "withdrawn"


def test_coordinator_and_member_markings_need_the_right_standing() -> None:
    member = Standing("bob", is_member=True)
    marking = offices.mark(WATCH, member, "member", "police", "p")[0]
    assert the(pb.ApprovalMarked, marking).account_id == "bob"
    with pytest.raises(GroupRuleBroken):
        offices.mark(WATCH, member, "coordinator", "police", "p")
    coord = Standing("coord", is_member=True)
    marking = offices.mark(WATCH, coord, "coordinator", "police", "p")[0]
    assert the(pb.ApprovalMarked, marking).subject == "coordinator"
    with pytest.raises(GroupRuleBroken):
        offices.mark(WATCH, Standing("stranger"), "member", "police", "p")
    with pytest.raises(InvalidGroupInput):
        offices.mark(WATCH, None, "member", "police", "p")
    with pytest.raises(InvalidGroupInput):
        offices.mark(WATCH, member, "group", "police", "p")
    with pytest.raises(InvalidGroupInput):
        offices.mark(WATCH, member, "member", "council", "p")


def test_erasing_the_last_leader_flags_the_group_and_ends_everything_it_held() -> None:
    coord = Standing("coord", is_member=True, approvals=frozenset({("coordinator", "police")}))
    events = joining.erase_account(WATCH, coord)
    assert kinds(events) == [
        "OfficerStoodDown",
        "ApprovalWithdrawn",
        "MemberLeft",
        "GroupNeedsOfficer",
    ]
    assert the(pb.MemberLeft, events[2]).reason == "account_erased"
    two = replace(
        WATCH, officers={"coord": frozenset({"coordinator"}), "b": frozenset({"coordinator"})}
    )
    assert "GroupNeedsOfficer" not in kinds(joining.erase_account(two, coord))
    waiting = joining.erase_account(WATCH, Standing("x", pending_request="r9"))
    assert kinds(waiting) == ["JoinRejected"]
    assert the(pb.JoinRejected, waiting[0]).request_id == "r9"
    assert joining.erase_account(WATCH, Standing("nobody")) == []


def test_every_event_type_round_trips_by_its_wire_name() -> None:
    assert len(EVENT_TYPES) == 16  # the group events, AreaSet and AreaExported
    event = pb.MemberAdmitted(group=WATCH.ref(), account_id="bob")
    name = event_type(event)
    assert name == "membership.MemberAdmitted"
    assert parse_event(name, event.SerializeToString()) == event
