"""Engagement's part of a subject access export: the events the account registered for and
the reports it filed under its name, opened as the resident sees them. Anonymous reports are
never in it: nothing links them to an account (invariant 12)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from snp_engagement.adapters import reports_queries, subject_export
from snp_engagement.adapters.reports_keys import ReportKeys
from snp_engagement.service_layer.reports_views import report_view

Conn = psycopg.Connection[Any]


def subject_part(keys: ReportKeys | None) -> Callable[[Conn, str, str], dict[str, Any]]:
    """The `collect` of engagement's ExportSubject (reports opened with `keys`)."""

    def collect(conn: Conn, tenant: str, account_id: str) -> dict[str, Any]:
        filed = reports_queries.filed_by(conn, tenant, account_id)
        return {
            "event_registrations": subject_export.registrations(conn, tenant, account_id),
            # Without a report KEK no report was ever taken, so there is nothing to open.
            "reports": [report_view(conn, keys, r, staff=False) for r in filed] if keys else [],
        }

    return collect
