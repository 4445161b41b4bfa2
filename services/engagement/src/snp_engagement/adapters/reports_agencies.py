"""The partner agencies of each force, from identity's events (state only: rebuildable from
identity's topic): where a report may be passed, and the name its resident is told."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity
from snp.v1.envelope_pb2 import EventEnvelope

Conn = psycopg.Connection[Any]
_REGISTERED = f"identity.{identity.AgencyRegistered.DESCRIPTOR.name}"
_RENAMED = f"identity.{identity.AgencyRenamed.DESCRIPTOR.name}"
_RETIRED = f"identity.{identity.AgencyRetired.DESCRIPTOR.name}"


class ReportAgenciesProjection:
    name = "engagement.report-agencies"
    event_types = (_REGISTERED, _RENAMED, _RETIRED)

    def reset(self, conn: Conn) -> None:
        conn.execute("DELETE FROM report_agencies")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == _REGISTERED:
            made = identity.AgencyRegistered.FromString(envelope.payload)
            conn.execute(
                "INSERT INTO report_agencies (agency_id, tenant, name) VALUES (%s, %s, %s)"
                " ON CONFLICT (agency_id) DO UPDATE SET name = EXCLUDED.name",
                (made.agency_id, envelope.tenant, made.name),
            )
        elif envelope.event_type == _RENAMED:
            renamed = identity.AgencyRenamed.FromString(envelope.payload)
            conn.execute(
                "UPDATE report_agencies SET name = %s WHERE agency_id = %s",
                (renamed.name, renamed.agency_id),
            )
        elif envelope.event_type == _RETIRED:
            retired = identity.AgencyRetired.FromString(envelope.payload)
            conn.execute(
                "UPDATE report_agencies SET retired = true WHERE agency_id = %s",
                (retired.agency_id,),
            )
