"""Who holds which role in which group: the projection of membership's events that every service
deciding on group roles keeps (documents for its policy questions, messaging for recipients).

An account is a `member` of a group from MemberAdmitted until MemberLeft or MemberRemoved, and
holds an office from OfficerAppointed until OfficerStoodDown (or the end of its membership).
Every membership event carries its group (id, tenant, type, ward), which keeps the group row
current; GroupCreated and GroupVisibilityChanged give its visibility (`public` or `hidden`), so a
service can tell a hidden group's name from what it may show (invariant 5). State only: what a
leaver's departure should cause is each service's own reaction.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.membership.v1 import events_pb2 as membership
from snp.v1.envelope_pb2 import EventEnvelope

Conn = psycopg.Connection[Any]

# Both services' tables converge on these columns (ADD COLUMN for databases made earlier).
GROUP_ROLES_SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    group_id   text PRIMARY KEY,
    tenant     text NOT NULL,
    group_type text NOT NULL
);
ALTER TABLE groups ADD COLUMN IF NOT EXISTS name text NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN IF NOT EXISTS ward_code text NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN IF NOT EXISTS ward_name text NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN IF NOT EXISTS closed boolean NOT NULL DEFAULT false;
-- Until GroupCreated or GroupVisibilityChanged says otherwise a group counts as hidden (rows
-- made before this column existed too, until `rebuild`): a name must never leak by default.
ALTER TABLE groups ADD COLUMN IF NOT EXISTS visibility text NOT NULL DEFAULT 'hidden';
CREATE INDEX IF NOT EXISTS groups_ward ON groups (tenant, ward_code);
CREATE TABLE IF NOT EXISTS group_roles (
    tenant     text NOT NULL,
    group_id   text NOT NULL,
    account_id text NOT NULL,
    role       text NOT NULL,
    PRIMARY KEY (group_id, account_id, role)
);
CREATE INDEX IF NOT EXISTS group_roles_account ON group_roles (account_id);
"""

MEMBERSHIP_EVENTS: dict[str, type[Any]] = {
    f"membership.{m.DESCRIPTOR.name}": m
    for m in (
        membership.GroupCreated,
        membership.GroupUpdated,
        membership.GroupVisibilityChanged,
        membership.GroupClosed,
        membership.MemberAdmitted,
        membership.MemberLeft,
        membership.MemberRemoved,
        membership.OfficerAppointed,
        membership.OfficerStoodDown,
    )
}
LEAVING_EVENTS = (membership.MemberLeft, membership.MemberRemoved)


def membership_event(envelope: EventEnvelope) -> Any | None:
    """The membership event in the envelope (None for any other), its group checked to be in
    the envelope's tenant."""
    message_type = MEMBERSHIP_EVENTS.get(envelope.event_type)
    if message_type is None:
        return None
    event = message_type.FromString(envelope.payload)
    if event.group.tenant != envelope.tenant:
        raise ValueError("a membership event's group is in another tenant than its envelope")
    return event


class GroupRolesProjection:
    """Groups and their role holders from membership's events; other events are ignored."""

    event_types = ("membership.",)

    def __init__(self, name: str) -> None:
        self.name = name

    def reset(self, conn: Conn) -> None:
        conn.execute("DELETE FROM group_roles")
        conn.execute("DELETE FROM groups")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        event = membership_event(envelope)
        if event is None:
            return
        _group(conn, event.group, group_name(event), group_visibility(event))
        if isinstance(event, membership.GroupClosed):
            conn.execute(
                "UPDATE groups SET closed = true WHERE group_id = %s", (event.group.group_id,)
            )
        elif isinstance(event, membership.MemberAdmitted):
            _grant(conn, event.group, event.account_id, "member")
        elif isinstance(event, membership.OfficerAppointed):
            _grant(conn, event.group, event.account_id, event.role)
        elif isinstance(event, membership.OfficerStoodDown):
            _revoke(conn, event.group, event.account_id, event.role)
        elif isinstance(event, LEAVING_EVENTS):
            _revoke(conn, event.group, event.account_id, None)


def group_name(event: Any) -> str | None:
    """The group's name as this event sets it (None: the event leaves it as it was)."""
    if isinstance(event, membership.GroupCreated | membership.GroupUpdated):
        return str(event.name)
    return None


def group_visibility(event: Any) -> str | None:
    """The group's visibility as this event sets it (None: left as it was). Anything but
    `public` counts as hidden: an unknown word must never make a group's name public."""
    if isinstance(event, membership.GroupCreated | membership.GroupVisibilityChanged):
        return "public" if event.visibility == "public" else "hidden"
    return None


def _group(conn: Conn, ref: membership.GroupRef, name: str | None, visibility: str | None) -> None:
    """Keep the group row current; a row of another tenant is never taken over."""
    conn.execute(
        "INSERT INTO groups (group_id, tenant, name, group_type, ward_code, ward_name, visibility)"
        " VALUES (%(id)s, %(tenant)s, coalesce(%(name)s, ''), %(type)s, %(ward)s, %(ward_name)s,"
        " coalesce(%(visibility)s, 'hidden')) ON CONFLICT (group_id) DO UPDATE SET"
        " name = coalesce(%(name)s, groups.name), group_type = EXCLUDED.group_type,"
        " ward_code = EXCLUDED.ward_code, ward_name = EXCLUDED.ward_name,"
        " visibility = coalesce(%(visibility)s, groups.visibility)"
        " WHERE groups.tenant = EXCLUDED.tenant",
        {
            "id": ref.group_id,
            "tenant": ref.tenant,
            "name": name,
            "type": ref.group_type,
            "ward": ref.ward_code,
            "ward_name": ref.ward_name,
            "visibility": visibility,
        },
    )


def _grant(conn: Conn, ref: membership.GroupRef, account_id: str, role: str) -> None:
    conn.execute(
        "INSERT INTO group_roles (tenant, group_id, account_id, role) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (ref.tenant, ref.group_id, account_id, role),
    )


def _revoke(conn: Conn, ref: membership.GroupRef, account_id: str, role: str | None) -> None:
    """Take away one office, or (role None) the whole membership and every office with it."""
    conn.execute(
        "DELETE FROM group_roles WHERE group_id = %s AND account_id = %s"
        " AND (%s::text IS NULL OR role = %s::text)",
        (ref.group_id, account_id, role, role),
    )
