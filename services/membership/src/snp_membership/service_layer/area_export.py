"""The Neighbourhood Watch association's export: an area coordinator takes the watch groups of
their area's wards with their coordinators and both approval markings (issue 18: the
coordinator list a Homewatch board could not get from the police).

The policy decides who may export (`membership.area_export.read`, an area coordinator for
their own area) and which groups they may read (`membership.group.read`, in one batch).
Contacts come from identity, which releases only those of coordinators who agreed and
records each release for them; the export itself is an `AreaExported` event (who, which
wards and groups, how many coordinators and contacts), which reaches audit like every event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from snp.membership.v1 import events_pb2 as pb
from snp_membership.adapters.areas import area_of, watch_groups_in_wards
from snp_membership.adapters.association_contacts import Contact
from snp_membership.domain.area_export import (
    ExportedGroup,
    ExportedOfficer,
    contacts_released,
    officers_listed,
)
from snp_membership.domain.model import Group
from snp_membership.service_layer.access import READ, group_resource
from snp_membership.service_layer.areas import area_resource
from snp_membership.service_layer.context import MembershipContext
from snp_platform.authz import authorize, subject_of
from snp_platform.eventstore import NO_STREAM, EventMetadata, Stream
from snp_platform.tokens import Principal


class AreaNotSet(Exception):
    """The coordinator has no wards yet (HTTP 409 `area-not-set`); nothing is exported."""


@dataclass(frozen=True)
class AreaExport:
    export_id: str
    ward_codes: list[str]
    groups: list[ExportedGroup]


def export_area(
    ctx: MembershipContext, principal: Principal, export_format: str, metadata: EventMetadata
) -> AreaExport:
    tenant = principal.tenant
    own_area = area_resource(tenant, principal.account_id, principal.kind)
    authorize(ctx.opa, principal, "membership.area_export.read", own_area)
    with ctx.connection() as conn:
        wards = area_of(conn, tenant, principal.account_id)
        if not wards:
            raise AreaNotSet(principal.account_id)
        candidates = watch_groups_in_wards(conn, tenant, wards)
    allowed = _readable(ctx, principal, candidates)
    groups = [g for g in candidates if g.group_id in allowed]
    officer_ids = sorted({a for g in groups for a in g.officers})
    export_id = str(uuid.uuid4())
    names = ctx.directory.display_names(tenant, officer_ids) if officer_ids else {}
    contacts = ctx.contacts.for_export(tenant, officer_ids, export_id) if officer_ids else {}
    exported = [
        ExportedGroup(
            group_id=g.group_id,
            name=g.name,
            ward_code=g.ward_code,
            ward_name=g.ward_name,
            status=g.status,
            approvals=g.approvals,
            officers=tuple(
                ExportedOfficer(
                    account_id=a,
                    display_name=names.get(a),
                    roles=tuple(sorted(g.officers[a])),
                    approvals=g.coordinator_marks.get(a, frozenset()),
                    email=_detail(contacts, a, "email"),
                    phone=_detail(contacts, a, "phone"),
                )
                for a in sorted(g.officers)
            ),
        )
        for g in groups
    ]
    recorded = pb.AreaExported(
        export_id=export_id,
        account_id=principal.account_id,
        ward_codes=wards,
        group_ids=[g.group_id for g in groups],
        coordinators=officers_listed(exported),
        contacts_released=contacts_released(exported),
        format=export_format,
    )
    ctx.streams.append(Stream(tenant, f"area-export:{export_id}"), [recorded], NO_STREAM, metadata)
    return AreaExport(export_id, wards, exported)


def _detail(contacts: dict[str, Contact], account_id: str, name: str) -> str | None:
    """A released detail, or None: not released (they did not agree) or not given."""
    contact = contacts.get(account_id)
    return (getattr(contact, name) or None) if contact else None


def _readable(ctx: MembershipContext, principal: Principal, groups: list[Group]) -> frozenset[str]:
    """The candidates the policy lets the coordinator read (one batch question)."""
    if not groups:
        return frozenset()
    return ctx.opa.allowed_ids(subject_of(principal), READ, [group_resource(g) for g in groups])
