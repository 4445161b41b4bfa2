"""Appointing and standing down officers, marking and withdrawing approvals."""

from __future__ import annotations

from dataclasses import dataclass

from snp_membership.adapters.group_store import load_standing
from snp_membership.domain import offices
from snp_membership.service_layer.access import authorize_on_group
from snp_membership.service_layer.context import MembershipContext
from snp_membership.service_layer.groups import check_version, existing_group, record_on
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal


@dataclass(frozen=True)
class Marking:
    group_id: str
    subject: str  # group | coordinator | member
    side: str  # police | area_coordinator
    account_id: str = ""


def appoint(
    ctx: MembershipContext,
    principal: Principal,
    group_id: str,
    office: str,
    account_id: str,
    expected_version: int | None,
    meta: EventMetadata,
) -> int:
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.officer.appoint", group)
        check_version(group, expected_version)
        who = load_standing(conn, group_id, account_id)
        events = offices.appoint(group, who, office, principal.account_id)
        return record_on(ctx, conn, group, events, meta)


def stand_down(
    ctx: MembershipContext,
    principal: Principal,
    group_id: str,
    office: str,
    account_id: str,
    expected_version: int | None,
    meta: EventMetadata,
) -> int:
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.officer.stand_down", group)
        check_version(group, expected_version)
        events = offices.stand_down(group, account_id, office, principal.account_id)
        return record_on(ctx, conn, group, events, meta)


def change_marking(
    ctx: MembershipContext,
    principal: Principal,
    marking: Marking,
    withdraw: bool,
    expected_version: int | None,
    meta: EventMetadata,
) -> int:
    """One side marks (or withdraws its own marking on) a group, coordinator or member."""
    action = "membership.approval.withdraw" if withdraw else "membership.approval.mark"
    with ctx.connection() as conn:
        group = existing_group(conn, marking.group_id)
        authorize_on_group(ctx.opa, conn, principal, action, group, side=marking.side)
        check_version(group, expected_version)
        who = (
            load_standing(conn, group.group_id, marking.account_id) if marking.account_id else None
        )
        decide = offices.withdraw if withdraw else offices.mark
        events = decide(group, who, marking.subject, marking.side, principal.account_id)
        return record_on(ctx, conn, group, events, meta)
