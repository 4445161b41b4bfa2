"""Police, partner agencies and (for panel meetings) a ward panel's officers schedule an
engagement event, move it, cancel it and record its outcome; each is an event on the stream
`event:<id>`, and messaging tells everyone registered."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp_engagement.adapters import events_queries, roles
from snp_engagement.adapters.event_streams import event_stream
from snp_engagement.adapters.events_queries import EventRow
from snp_engagement.domain import events_schedule as domain
from snp_engagement.domain import panel_names
from snp_engagement.domain.events_places import Place
from snp_engagement.domain.rules import InvalidInput
from snp_engagement.service_layer.access import recording_agency
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.events_access import (
    CREATE,
    MANAGE,
    event_resource,
    find_event,
    new_event_resource,
    require,
)
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

Conn = psycopg.Connection[Any]
Decide = Callable[[domain.EngagementEvent, int], list[Message]]
Check = Callable[[Conn, EventRow], None]
# The issues raised, the actions agreed (description, priority id or ""), the attendance.
Outcome = tuple[Sequence[str], Sequence[tuple[str, str]], int | None]


def _now() -> int:
    return int(time.time())


def schedule(
    ctx: EngagementContext,
    principal: Principal,
    details: domain.Details,
    group_id: str,
    metadata: EventMetadata,
) -> str:
    """A new event's id. A panel meeting names its panel (`group_id`), whose ward it is in,
    and a hidden panel's meeting does not name the panel in its public texts (422); every
    ward named must have a ward panel of the force (the wards residents follow)."""
    event_id = new_event_id()
    meeting = details.kind == domain.PANEL_MEETING
    if bool(group_id) != meeting:
        raise InvalidInput("a panel meeting names its ward panel, and only a panel meeting does")
    with ctx.pool.connection() as conn, conn.transaction():
        resource = new_event_resource(principal.tenant, details.kind, group_id)
        require(ctx, conn, principal, CREATE, resource)
        if meeting:
            panel = roles.find_group(conn, group_id)
            if panel is None or panel.group_type != "ward_panel":
                raise InvalidInput("a panel meeting belongs to a ward panel; this is not one")
            _check_panel_not_named(conn, group_id, details)
            wards = tuple(dict.fromkeys((panel.ward_code, *details.ward_codes)))
            details = replace(details, ward_codes=wards)
        unknown = [
            w for w in details.ward_codes if not roles.ward_has_panel(conn, principal.tenant, w)
        ]
        if unknown:
            raise InvalidInput(f"no ward panel of this force in ward {unknown[0]!r}")
        agency = domain.PANEL_AGENCY if meeting else recording_agency(principal)
        events = domain.schedule(event_id, details, agency, group_id, principal.account_id, _now())
        stream = event_stream(principal.tenant, event_id)
        ctx.streams.append(stream, events, NO_STREAM, metadata, conn)
    return event_id


def _check_panel_not_named(conn: Conn, group_id: str, details: domain.Details) -> None:
    naming = roles.panel_naming(conn, group_id)
    if naming is not None:
        texts = {
            "organising_agency": details.organising_agency,
            "title": details.title,
            "description": details.description,
            "place": details.place.text,
            "contact_role": details.contact_role,
        }
        panel_names.check_not_named(naming, texts)


def _change(
    ctx: EngagementContext,
    principal: Principal,
    event_id: str,
    decide: Decide,
    metadata: EventMetadata,
    check: Check | None = None,
) -> None:
    """Load, ask the policy (the organiser only), check (`check`, once allowed: a stranger
    learns nothing of what it checks), decide, append: one transaction, so two organisers
    changing the event at once get a 409 for the slower one."""
    with ctx.pool.connection() as conn, conn.transaction():
        row = find_event(conn, event_id)
        require(ctx, conn, principal, MANAGE, event_resource(row))
        if check is not None:
            check(conn, row)
        stream = event_stream(row.tenant, event_id)
        changes, version = ctx.streams.load(stream)
        event = domain.fold(changes)
        if event is None:
            raise NotFound("no such event")
        ctx.streams.append(stream, decide(event, _now()), version, metadata, conn)


def move(
    ctx: EngagementContext,
    principal: Principal,
    event_id: str,
    times: tuple[int, int],
    place: Place,
    metadata: EventMetadata,
) -> None:
    by = principal.account_id
    _change(
        ctx, principal, event_id, lambda e, now: domain.move(e, times, place, by, now), metadata
    )


def cancel(
    ctx: EngagementContext,
    principal: Principal,
    event_id: str,
    reason: str,
    metadata: EventMetadata,
) -> None:
    by = principal.account_id
    _change(ctx, principal, event_id, lambda e, now: domain.cancel(e, reason, by, now), metadata)


def record_outcome(
    ctx: EngagementContext,
    principal: Principal,
    event_id: str,
    outcome: Outcome,
    metadata: EventMetadata,
) -> None:
    """`outcome`: the issues raised, the actions agreed (`(description, priority_id or "")`)
    and how many came (`None`: not said). An agreed action may name a live priority of a
    ward panel in one of the event's wards: any other (unknown, retired, another ward's or
    another force's) is a 422."""
    issues, actions, attendance = outcome
    by = principal.account_id

    def linked_priorities_in_wards(conn: Conn, row: EventRow) -> None:
        for _description, priority_id in actions:
            if not priority_id:
                continue
            found = events_queries.live_priority_ward(conn, priority_id)
            if found is None or found[0] != row.tenant or found[1] not in row.ward_codes:
                raise InvalidInput(f"no ward priority {priority_id!r} in this event's wards")

    def decide(event: domain.EngagementEvent, now: int) -> list[Message]:
        return domain.record_outcome(event, issues, actions, by, now, attendance)

    _change(ctx, principal, event_id, decide, metadata, linked_priorities_in_wards)
