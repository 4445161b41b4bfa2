"""Engagement's own tables beside the event store.

`plans`, `priorities` and `actions` are the read model of engagement's own events, kept in the
transaction of each append (`EngagementTables`) and rebuildable from the event store. `groups`
and `group_roles` are the projection of membership's events: which groups are ward panels, in
which ward, and who holds which role in them (the subject's group roles in every question)."""

from __future__ import annotations

import psycopg

from snp_platform.group_roles import GROUP_ROLES_SCHEMA

ENGAGEMENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    group_id     text NOT NULL,
    period       text NOT NULL,
    tenant       text NOT NULL,
    ward_code    text NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (group_id, period)
);
CREATE INDEX IF NOT EXISTS plans_published_by_ward ON plans (tenant, ward_code)
    WHERE published_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS priorities (
    priority_id text PRIMARY KEY,
    tenant      text NOT NULL,
    group_id    text NOT NULL,
    period      text NOT NULL,
    title       text NOT NULL,
    description text NOT NULL,
    category    text NOT NULL,
    position    integer NOT NULL,
    retired     boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS priorities_by_plan ON priorities (group_id, period, position);

CREATE TABLE IF NOT EXISTS actions (
    action_id   text PRIMARY KEY,  -- a UUIDv7: in the order the actions were recorded
    tenant      text NOT NULL,
    priority_id text NOT NULL,
    group_id    text NOT NULL,
    agency      text NOT NULL,
    description text NOT NULL,
    done_on     text NOT NULL,
    status      text NOT NULL,
    outcome     text NOT NULL,
    recorded_by text NOT NULL,
    verdict     text NOT NULL DEFAULT '',
    comment     text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS actions_by_priority ON actions (priority_id, action_id);

CREATE TABLE IF NOT EXISTS ballots (
    group_id  text NOT NULL,
    period    text NOT NULL,
    tenant    text NOT NULL,
    closed_at timestamptz,
    PRIMARY KEY (group_id, period)
);

CREATE TABLE IF NOT EXISTS candidates (
    candidate_id        text PRIMARY KEY,  -- a UUIDv7: in the order they were proposed
    tenant              text NOT NULL,
    group_id            text NOT NULL,
    period              text NOT NULL,
    title               text NOT NULL,
    description         text NOT NULL,
    category            text NOT NULL,
    proposed_by         text NOT NULL,
    adopted_priority_id text
);
CREATE INDEX IF NOT EXISTS candidates_by_ballot ON candidates (group_id, period, candidate_id);

-- One row per member who voted: counts are read from it, never who voted for what.
CREATE TABLE IF NOT EXISTS votes (
    group_id     text NOT NULL,
    period       text NOT NULL,
    voter        text NOT NULL,
    candidate_id text NOT NULL,
    PRIMARY KEY (group_id, period, voter)
);
"""

_LOCK = 0x534E5045  # serialises concurrent starts of several engagement processes


def create_engagement_schema(conninfo: str) -> None:
    """Create engagement's tables if missing (idempotent)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(ENGAGEMENT_SCHEMA)
        conn.execute(GROUP_ROLES_SCHEMA)  # the projection of membership's events
