"""Request bodies and views; unknown fields are refused, lengths bounded."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Literal

from pydantic import Field

from snp_membership.domain.model import Group
from snp_platform.bodies import RequestBody

Version = Field(default=None, ge=0, description="the group version the change was decided on")


class GroupIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"description"})

    group_type: str = Field(max_length=32)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    ward_code: str = Field(max_length=64)
    ward_name: str = Field(max_length=200)
    visibility: str = Field(default="public", max_length=16)
    directory: str = Field(default="officers", max_length=16)
    first_chair: uuid.UUID | None = Field(default=None, description="ward panels: a member account")


class GroupPatch(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"description"})

    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    directory: str | None = Field(default=None, max_length=16)
    visibility: str | None = Field(default=None, max_length=16)
    status: Literal["closed"] | None = None
    expected_version: int | None = Version


class DecisionIn(RequestBody):
    expected_version: int | None = Version


class OfficerIn(RequestBody):
    account_id: uuid.UUID
    expected_version: int | None = Version


class ApprovalIn(RequestBody):
    group_id: uuid.UUID
    subject: str = Field(max_length=16)
    side: str = Field(max_length=32)
    account_id: uuid.UUID | None = None
    expected_version: int | None = Version


def public_view(group: Group, approvals: list[str]) -> dict[str, Any]:
    """What anyone may see of a public open group: no members, no officers, no version."""
    return {
        "group_id": group.group_id,
        "group_type": group.group_type,
        "ward_code": group.ward_code,
        "ward_name": group.ward_name,
        "name": group.name,
        "description": group.description,
        "approvals": approvals,
    }


def member_view(group: Group, approvals: list[str]) -> dict[str, Any]:
    """A group in a signed-in caller's list: the public view with its state and version."""
    return {
        **public_view(group, approvals),
        "visibility": group.visibility,
        "status": group.status,
        "needs_officer": group.needs_officer,
        "version": group.version,
    }


def group_view(group: Group) -> dict[str, Any]:
    """A group for those the policy lets read it: attributes, version, officers, markings."""
    return {
        **public_view(group, sorted(group.approvals)),
        "tenant": group.tenant,
        "visibility": group.visibility,
        "directory": group.directory,
        "status": group.status,
        "needs_officer": group.needs_officer,
        "version": group.version,
        "officers": [
            {
                "account_id": account_id,
                "roles": sorted(roles),
                "approvals": sorted(group.coordinator_marks.get(account_id, frozenset())),
            }
            for account_id, roles in sorted(group.officers.items())
        ],
    }
