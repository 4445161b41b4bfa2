"""What a group is, as the decisions need it: values only, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from snp.membership.v1 import events_pb2 as pb

GROUP_TYPES = ("neighbourhood_watch", "ward_panel", "community_group")
VISIBILITIES = ("public", "hidden")
STATUSES = ("open", "closed")
# Who besides officers, police and admins sees the member list (ward panels: always members).
DIRECTORIES = ("officers", "members")
SIDES = ("police", "area_coordinator")
APPROVAL_SUBJECTS = ("group", "coordinator", "member")

# The offices each kind of group has. Neighbourhood Watch groups are led by coordinators (several
# may serve at once); ward panels and community groups by one chair, with one vice-chair and one
# secretary.
OFFICES: Mapping[str, tuple[str, ...]] = {
    "neighbourhood_watch": ("coordinator",),
    "ward_panel": ("chair", "vice_chair", "secretary"),
    "community_group": ("chair", "vice_chair", "secretary"),
}
LEADING_OFFICES = frozenset({"chair", "coordinator"})
SINGLE_HOLDER_OFFICES = frozenset({"chair", "vice_chair", "secretary"})
FIRST_OFFICE: Mapping[str, str] = {
    "neighbourhood_watch": "coordinator",
    "ward_panel": "chair",
    "community_group": "chair",
}
WARD_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
MAX_NAME, MAX_WARD_NAME, MAX_DESCRIPTION = 120, 100, 2000


class GroupRuleBroken(Exception):
    """A command the group's rules refuse in its current state (HTTP 409)."""


class InvalidGroupInput(Exception):
    """A command whose values are not acceptable at all (HTTP 422)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Group:
    """A group's state; `officers` maps account id to the offices it holds."""

    group_id: str
    tenant: str
    group_type: str
    ward_code: str
    ward_name: str
    name: str
    description: str
    visibility: str
    directory: str
    status: str
    version: int
    officers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    approvals: frozenset[str] = frozenset()  # sides that marked the group itself
    coordinator_marks: Mapping[str, frozenset[str]] = field(default_factory=dict)  # leader: sides
    needs_officer: bool = False

    def ref(self) -> pb.GroupRef:
        return pb.GroupRef(
            group_id=self.group_id,
            tenant=self.tenant,
            group_type=self.group_type,
            ward_code=self.ward_code,
            ward_name=self.ward_name,
        )

    def holders(self, office: str) -> list[str]:
        return sorted(a for a, offices in self.officers.items() if office in offices)

    def leaders(self) -> set[str]:
        return {a for a, offices in self.officers.items() if offices & LEADING_OFFICES}


@dataclass(frozen=True)
class Standing:
    """One account's place in one group: membership, a pending request, markings on it."""

    account_id: str
    is_member: bool = False
    pending_request: str | None = None
    # (subject, side) pairs marked on this account: subject is "coordinator" or "member".
    approvals: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class KnownAccount:
    """An account as identity's events told membership about it (`kind` is "unknown" when only
    its erasure has arrived)."""

    account_id: str
    tenant: str
    kind: str
    erased: bool = False
