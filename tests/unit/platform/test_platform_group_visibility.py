"""The shared groups projection learns a group's visibility from GroupCreated and
GroupVisibilityChanged only, and anything but `public` counts as hidden."""

from __future__ import annotations

from snp.membership.v1 import events_pb2 as membership
from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.group_roles import group_name, group_visibility, membership_event

REF = membership.GroupRef(
    group_id="g1", tenant="met", group_type="ward_panel", ward_code="E05000138"
)


def _envelope(event: membership.GroupVisibilityChanged) -> EventEnvelope:
    return EventEnvelope(
        event_type="membership.GroupVisibilityChanged",
        tenant="met",
        payload=event.SerializeToString(),
    )


def test_a_visibility_change_is_a_membership_event_the_projection_reads() -> None:
    changed = membership.GroupVisibilityChanged(group=REF, visibility="hidden", changed_by="a1")
    read = membership_event(_envelope(changed))
    assert isinstance(read, membership.GroupVisibilityChanged)
    assert group_visibility(read) == "hidden"
    assert group_name(read) is None  # the name stays as it was


def test_creation_sets_the_visibility_and_the_name() -> None:
    made = membership.GroupCreated(group=REF, name="Bloomsbury Panel", visibility="public")
    assert group_visibility(made) == "public"
    assert group_name(made) == "Bloomsbury Panel"
    hidden = membership.GroupCreated(group=REF, name="Quiet Panel", visibility="hidden")
    assert group_visibility(hidden) == "hidden"


def test_an_unknown_or_missing_visibility_counts_as_hidden() -> None:
    assert group_visibility(membership.GroupCreated(group=REF, name="X")) == "hidden"
    odd = membership.GroupVisibilityChanged(group=REF, visibility="Public ")
    assert group_visibility(odd) == "hidden"


def test_other_events_leave_the_visibility_as_it_was() -> None:
    assert group_visibility(membership.GroupUpdated(group=REF, name="New name")) is None
    assert group_visibility(membership.MemberAdmitted(group=REF, account_id="a2")) is None
    assert group_visibility(membership.GroupClosed(group=REF)) is None
