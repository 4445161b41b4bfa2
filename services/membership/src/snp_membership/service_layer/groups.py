"""Creating, reading and editing groups: load, ask the policy, decide, record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from snp_membership.adapters.event_streams import group_stream
from snp_membership.adapters.group_store import load_group
from snp_membership.adapters.known_accounts import force_name, known_account, tenant_known
from snp_membership.domain import founding
from snp_membership.domain.model import Group, InvalidGroupInput
from snp_membership.service_layer.access import authorize_on_group
from snp_membership.service_layer.context import MembershipContext, NotFound, TenantUnknown
from snp_platform.authz import authorize
from snp_platform.eventstore import NO_STREAM, ConcurrencyError, EventMetadata
from snp_platform.tokens import Principal


@dataclass(frozen=True)
class GroupChanges:
    name: str | None = None
    description: str | None = None
    directory: str | None = None
    visibility: str | None = None
    close: bool = False


def create_group(
    ctx: MembershipContext,
    principal: Principal,
    spec: founding.NewGroup,
    first_chair: str | None,
    meta: EventMetadata,
) -> tuple[str, int]:
    """Found a group; returns its id and version. A member founding a group leads it; police
    name a ward panel's first chair."""
    group_id = str(uuid.uuid4())
    names_a_chair = spec.group_type == "ward_panel"
    first_officer = (first_chair or "") if names_a_chair else principal.account_id
    if first_chair and not names_a_chair:
        raise InvalidGroupInput(["only a ward panel is given its first chair by name"])
    events = founding.create_group(
        group_id, principal.tenant, spec, principal.account_id, first_officer
    )
    resource = {"type": "group", "tenant": principal.tenant, "group_type": spec.group_type}
    authorize(ctx.opa, principal, "membership.group.create", resource)
    with ctx.connection() as conn:
        if not tenant_known(conn, principal.tenant):
            raise TenantUnknown(principal.tenant)
        if names_a_chair:
            founding.check_named_first_chair(known_account(conn, principal.tenant, first_officer))
        stream = group_stream(principal.tenant, group_id)
        recorded = ctx.streams.append(stream, events, NO_STREAM, meta, conn=conn)
    return group_id, recorded[-1].stream_version


def readable_group(ctx: MembershipContext, principal: Principal, group_id: str) -> Group:
    """The group, if the policy lets this caller read it."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.group.read", group)
        return group


def force_of(ctx: MembershipContext, tenant: str) -> str | None:
    """The display name of the group's force, as identity registered it."""
    with ctx.connection() as conn:
        return force_name(conn, tenant)


def update_group(
    ctx: MembershipContext,
    principal: Principal,
    group_id: str,
    changes: GroupChanges,
    expected_version: int | None,
    meta: EventMetadata,
) -> int:
    """Edit a group as its chair or coordinator; returns the group's new version."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.group.update", group)
        check_version(group, expected_version)
        events = founding.update_group(
            group,
            principal.account_id,
            name=changes.name,
            description=changes.description,
            directory=changes.directory,
            visibility=changes.visibility,
            close=changes.close,
        )
        return record_on(ctx, conn, group, events, meta)


def existing_group(conn: psycopg.Connection[Any], group_id: str) -> Group:
    group = load_group(conn, group_id)
    if group is None:
        raise NotFound(group_id)
    return group


def check_version(group: Group, expected_version: int | None) -> None:
    """A client that read an older version must reload: its decision was about another state."""
    if expected_version is not None and expected_version != group.version:
        raise ConcurrencyError(
            group_stream(group.tenant, group.group_id), expected_version, group.version
        )


def record_on(
    ctx: MembershipContext,
    conn: psycopg.Connection[Any],
    group: Group,
    events: list[Any],
    meta: EventMetadata,
) -> int:
    """Record at the version the decision was made on; return the group's new version."""
    stream = group_stream(group.tenant, group.group_id)
    recorded = ctx.streams.append(stream, events, group.version, meta, conn=conn)
    return recorded[-1].stream_version
