"""Lists: groups (public or as a signed-in caller sees them) and a group's members.

Which groups a caller sees is the policy's answer for each candidate (`allowed_ids`, in batches);
the reads (adapters/listing.py) only narrow by the caller's own filters (tenant, ward, name) and
page.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg

from snp_membership.adapters import listing as lists
from snp_membership.adapters.group_store import group_roles
from snp_membership.domain.group_filter import GroupFilter
from snp_membership.domain.model import Group
from snp_membership.service_layer.access import authorize_on_group, group_resource
from snp_membership.service_layer.context import MembershipContext
from snp_membership.service_layer.groups import existing_group
from snp_platform.opa import OpaClient

SCAN_BATCH = 200
MAX_SCANNED = 2000  # per request: a page may come back short, with a cursor to carry on


@dataclass(frozen=True)
class GroupPage:
    groups: list[tuple[Group, list[str]]]  # each group with the sides that marked it
    next_cursor: str | None


def browse_groups(
    ctx: MembershipContext,
    subject: Mapping[str, Any],
    account_id: str | None,
    where: GroupFilter,
    cursor: str | None,
    limit: int,
) -> GroupPage:
    """The groups `subject` may read, by name, `limit` at most; the policy filters each batch."""
    after = _decode(cursor) if cursor else ("", "")
    found: list[Group] = []
    scanned, exhausted = 0, False
    with ctx.connection() as conn:
        while not exhausted and len(found) < limit and scanned < MAX_SCANNED:
            batch = lists.candidate_groups(conn, where, after, SCAN_BATCH)
            scanned += len(batch)
            allowed = _allowed(ctx.opa, conn, subject, account_id, batch) if batch else frozenset()
            for group in batch:
                after = (group.name.lower(), group.group_id)
                if group.group_id in allowed:
                    found.append(group)
                    if len(found) == limit:
                        break
            consumed_all = not batch or after == (batch[-1].name.lower(), batch[-1].group_id)
            exhausted = len(batch) < SCAN_BATCH and consumed_all
        marks = lists.group_marks(conn, [g.group_id for g in found])
    return GroupPage(
        [(g, marks.get(g.group_id, [])) for g in found], None if exhausted else _encode(after)
    )


def member_page(
    ctx: MembershipContext, principal: Any, group_id: str, cursor: str | None, limit: int
) -> tuple[Group, list[dict[str, Any]], str | None]:
    """A page of the group's members (account id order) if the policy lets the caller see them."""
    after = _decode(cursor)[1] if cursor else ""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.members.read", group)
        ids = lists.member_ids(conn, group_id, after, limit + 1)
        more, ids = len(ids) > limit, ids[:limit]
        offices = lists.offices_of(conn, group_id, ids)
        marks = lists.member_marks(conn, group_id, ids)
    names = ctx.directory.display_names(group.tenant, ids) if ids else {}
    members = [
        {
            "account_id": a,
            "display_name": names.get(a),
            "roles": ["member", *offices.get(a, [])],
            "approvals": marks.get(a, {}),
        }
        for a in ids
    ]
    return group, members, _encode(("", ids[-1])) if more else None


def officer_list(
    ctx: MembershipContext, principal: Any, group_id: str
) -> tuple[Group, list[dict[str, Any]]]:
    """The group's officers by name, with their offices and coordinator markings, for those
    the policy lets see them (its own members among them, whatever the member list setting)."""
    with ctx.connection() as conn:
        group = existing_group(conn, group_id)
        authorize_on_group(ctx.opa, conn, principal, "membership.officers.read", group)
    ids = sorted(group.officers)
    names = ctx.directory.display_names(group.tenant, ids) if ids else {}
    officers = [
        {
            "account_id": a,
            "display_name": names.get(a),
            "roles": sorted(group.officers[a]),
            "approvals": sorted(group.coordinator_marks.get(a, frozenset())),
        }
        for a in ids
    ]
    return group, officers


def _allowed(
    opa: OpaClient,
    conn: psycopg.Connection[Any],
    subject: Mapping[str, Any],
    account_id: str | None,
    batch: list[Group],
) -> frozenset[str]:
    ids = [g.group_id for g in batch]
    roles = group_roles(conn, account_id, ids) if account_id else {}
    asking = {**subject, "group_roles": roles}
    return opa.allowed_ids(asking, "membership.group.read", [group_resource(g) for g in batch])


def _encode(position: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(position)).encode()).decode().rstrip("=")


class BadCursor(ValueError):
    """A cursor this service did not hand out (HTTP 422)."""


def _decode(cursor: str) -> tuple[str, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as error:
        raise BadCursor(cursor) from error
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, str) for v in raw)):
        raise BadCursor(cursor)
    return raw[0], raw[1]
