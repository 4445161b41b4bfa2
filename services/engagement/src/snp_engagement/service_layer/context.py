"""What engagement's use cases share: the database and the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg_pool import ConnectionPool

from snp_engagement.adapters.event_streams import EngagementStreams
from snp_engagement.adapters.reports_keys import ReportKeys
from snp_platform.eventstore import EventStore
from snp_platform.opa import OpaClient


class NotFound(Exception):
    """No such group, ward, priority or action for this caller (404, which also hides other
    tenants and hidden panels)."""


@dataclass
class EngagementContext:
    """Wiring for the use cases; built once per process by the entrypoint."""

    pool: ConnectionPool[Any]
    opa: OpaClient
    # Residents' reports: their keys' wrapper (None: no report KEK configured, none taken).
    report_keys: ReportKeys | None = None
    report_photo_max_bytes: int = 5 * 1024 * 1024
    # Closed reports' retention for a force that set none (SNP_REPORT_RETENTION_DAYS).
    report_retention_days: int = 365

    @property
    def streams(self) -> EngagementStreams:
        return EngagementStreams(EventStore(self.pool))
