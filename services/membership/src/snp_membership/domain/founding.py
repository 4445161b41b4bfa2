"""Founding a group and editing its attributes: commands in, events out."""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as pb
from snp_membership.domain.model import (
    DIRECTORIES,
    FIRST_OFFICE,
    GROUP_TYPES,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_WARD_NAME,
    VISIBILITIES,
    WARD_CODE,
    Group,
    GroupRuleBroken,
    InvalidGroupInput,
    KnownAccount,
)


@dataclass(frozen=True)
class NewGroup:
    group_type: str
    ward_code: str
    ward_name: str
    name: str
    description: str = ""
    visibility: str = "public"
    directory: str = "officers"


def create_group(
    group_id: str, tenant: str, spec: NewGroup, created_by: str, first_officer: str
) -> list[Message]:
    """A new group and its first chair or coordinator, who is also its first member."""
    problems = _name_problems(spec.name) + _description_problems(spec.description)
    if spec.group_type not in GROUP_TYPES:
        problems.append(f"group_type must be one of {', '.join(GROUP_TYPES)}")
    if not WARD_CODE.match(spec.ward_code):
        problems.append("ward_code must be 1-32 letters, digits, '-' or '_'")
    if not spec.ward_name.strip() or len(spec.ward_name) > MAX_WARD_NAME:
        problems.append(f"ward_name must be 1-{MAX_WARD_NAME} characters")
    problems += _choice_problems(spec.visibility, spec.directory)
    if not first_officer:
        problems.append("a group needs its first chair or coordinator")
    if problems:
        raise InvalidGroupInput(problems)
    ref = pb.GroupRef(
        group_id=group_id,
        tenant=tenant,
        group_type=spec.group_type,
        ward_code=spec.ward_code,
        ward_name=spec.ward_name.strip(),
    )
    office = FIRST_OFFICE[spec.group_type]
    return [
        pb.GroupCreated(
            group=ref,
            name=spec.name.strip(),
            description=spec.description,
            visibility=spec.visibility,
            directory=spec.directory,
            created_by=created_by,
            first_officer=first_officer,
            first_officer_role=office,
        ),
        pb.MemberAdmitted(group=ref, account_id=first_officer, admitted_by=created_by),
        pb.OfficerAppointed(
            group=ref, account_id=first_officer, role=office, appointed_by=created_by
        ),
    ]


def check_named_first_chair(account: KnownAccount | None) -> None:
    """The first chair police name for a ward panel is a member account of the force (as
    identity's events told membership) that has not been erased."""
    if account is None or account.kind != "member" or account.erased:
        raise InvalidGroupInput(["first_chair must be a member account of this force"])


def update_group(
    group: Group,
    by: str,
    *,
    name: str | None = None,
    description: str | None = None,
    directory: str | None = None,
    visibility: str | None = None,
    close: bool = False,
) -> list[Message]:
    """Edit the group: attributes, visibility, or close it (a closed group stays closed)."""
    problems = _name_problems(name) if name is not None else []
    problems += _description_problems(description) if description is not None else []
    problems += _choice_problems(visibility or "public", directory or "officers")
    if problems:
        raise InvalidGroupInput(problems)
    if group.status == "closed":
        raise GroupRuleBroken("the group is closed")
    events: list[Message] = []
    new_name = name.strip() if name is not None else group.name
    new_description = description if description is not None else group.description
    new_directory = directory or group.directory
    if (new_name, new_description, new_directory) != (
        group.name,
        group.description,
        group.directory,
    ):
        events.append(
            pb.GroupUpdated(
                group=group.ref(),
                name=new_name,
                description=new_description,
                directory=new_directory,
                updated_by=by,
            )
        )
    if visibility is not None and visibility != group.visibility:
        events.append(
            pb.GroupVisibilityChanged(group=group.ref(), visibility=visibility, changed_by=by)
        )
    if close:
        events.append(pb.GroupClosed(group=group.ref(), closed_by=by))
    if not events:
        raise GroupRuleBroken("nothing to change")
    return events


def _name_problems(name: str) -> list[str]:
    if not name.strip() or len(name) > MAX_NAME:
        return [f"name must be 1-{MAX_NAME} characters"]
    return []


def _description_problems(description: str) -> list[str]:
    if len(description) > MAX_DESCRIPTION:
        return [f"description must be at most {MAX_DESCRIPTION} characters"]
    return []


def _choice_problems(visibility: str, directory: str) -> list[str]:
    problems = []
    if visibility not in VISIBILITIES:
        problems.append(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if directory not in DIRECTORIES:
        problems.append(f"directory must be one of {', '.join(DIRECTORIES)}")
    return problems
