"""The read model of engagement's own events (`plans`, `priorities`, `actions`, and the members'
`ballots`, `candidates` and `votes`): state only,
applied in each append's transaction and rebuildable from the store (`rebuild_tables`)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp.engagement.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_engagement.domain.events import EVENT_TYPES, parse_event
from snp_platform.eventstore import EventStore

Conn = psycopg.Connection[Any]
TABLES = ("plans", "priorities", "actions", "ballots", "candidates", "votes")


class EngagementTables:
    """Engagement's tables from engagement's events; other services' events are ignored."""

    name = "engagement.tables"

    def reset(self, conn: Conn) -> None:
        for table in TABLES:
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type not in EVENT_TYPES:
            return
        event = parse_event(envelope.event_type, envelope.payload)
        tenant = envelope.tenant
        if isinstance(event, pb.PrioritySet):
            conn.execute(
                "INSERT INTO plans (group_id, period, tenant, ward_code) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (group_id, period) DO NOTHING",
                (event.group_id, event.period, tenant, event.ward_code),
            )
            conn.execute(
                "INSERT INTO priorities (priority_id, tenant, group_id, period, title,"
                " description, category, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    event.priority_id,
                    tenant,
                    event.group_id,
                    event.period,
                    event.title,
                    event.description,
                    event.category,
                    event.position,
                ),
            )
            if event.from_candidate_id:
                conn.execute(
                    "UPDATE candidates SET adopted_priority_id = %s WHERE candidate_id = %s",
                    (event.priority_id, event.from_candidate_id),
                )
        elif isinstance(event, pb.PriorityEdited):
            conn.execute(
                "UPDATE priorities SET title = %s, description = %s, category = %s"
                " WHERE priority_id = %s",
                (event.title, event.description, event.category, event.priority_id),
            )
        elif isinstance(event, pb.PrioritiesReordered):
            for position, priority_id in enumerate(event.priority_ids, start=1):
                conn.execute(
                    "UPDATE priorities SET position = %s WHERE priority_id = %s",
                    (position, priority_id),
                )
        elif isinstance(event, pb.PriorityRetired):
            conn.execute(
                "UPDATE priorities SET retired = true WHERE priority_id = %s",
                (event.priority_id,),
            )
        elif isinstance(event, pb.PeriodPublished):
            conn.execute(
                "UPDATE plans SET published_at = %s, ward_code = %s"
                " WHERE group_id = %s AND period = %s AND published_at IS NULL",
                (
                    envelope.occurred_at.ToDatetime(tzinfo=UTC),
                    event.ward_code,
                    event.group_id,
                    event.period,
                ),
            )
        elif isinstance(event, pb.CandidateProposed | pb.VotingClosed | pb.VoteCast):
            _apply_ballot(conn, envelope, event)
        else:
            _apply_action(conn, tenant, event)


def _apply_ballot(conn: Conn, envelope: EventEnvelope, event: Any) -> None:
    if isinstance(event, pb.CandidateProposed):
        conn.execute(
            "INSERT INTO ballots (group_id, period, tenant) VALUES (%s, %s, %s)"
            " ON CONFLICT (group_id, period) DO NOTHING",
            (event.group_id, event.period, envelope.tenant),
        )
        conn.execute(
            "INSERT INTO candidates (candidate_id, tenant, group_id, period, title, description,"
            " category, proposed_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.candidate_id,
                envelope.tenant,
                event.group_id,
                event.period,
                event.title,
                event.description,
                event.category,
                event.proposed_by,
            ),
        )
    elif isinstance(event, pb.VotingClosed):
        conn.execute(
            "UPDATE ballots SET closed_at = %s WHERE group_id = %s AND period = %s",
            (envelope.occurred_at.ToDatetime(tzinfo=UTC), event.group_id, event.period),
        )
    else:
        conn.execute(
            "INSERT INTO votes (group_id, period, voter, candidate_id) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (group_id, period, voter) DO UPDATE SET candidate_id ="
            " EXCLUDED.candidate_id",
            (event.group_id, event.period, event.voter, event.candidate_id),
        )


def _apply_action(conn: Conn, tenant: str, event: Any) -> None:
    if isinstance(event, pb.ActionRecorded):
        conn.execute(
            "INSERT INTO actions (action_id, tenant, priority_id, group_id, agency, description,"
            " done_on, status, outcome, recorded_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s)",
            (
                event.action_id,
                tenant,
                event.priority_id,
                event.group_id,
                event.agency,
                event.description,
                event.done_on,
                event.status,
                event.outcome,
                event.recorded_by,
            ),
        )
    elif isinstance(event, pb.ActionUpdated):
        conn.execute(
            "UPDATE actions SET description = %s, done_on = %s, status = %s, outcome = %s"
            " WHERE action_id = %s",
            (event.description, event.done_on, event.status, event.outcome, event.action_id),
        )
    elif isinstance(event, pb.ActionReviewed):
        conn.execute(
            "UPDATE actions SET verdict = %s, comment = %s WHERE action_id = %s",
            (event.verdict, event.comment, event.action_id),
        )


def rebuild_tables(pool: ConnectionPool[Any]) -> int:
    """Empty engagement's tables and apply its whole store again, in one transaction (readers
    see the old rows until it commits); how many events were read back."""
    tables, store, applied = EngagementTables(), EventStore(pool), 0
    with pool.connection() as conn, conn.transaction():
        conn.execute(f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE")
        tables.reset(conn)
        for event in store.read_all(conn=conn):
            tables.apply(conn, event.to_envelope("engagement"))
            applied += 1
    return applied
