"""A report as police and partners read it, and the "what happens next" timeline its
reporter reads: texts opened with the report's key, never the reporter's account or secret.
A report shredded under its force's retention keeps its facts and steps, and no text."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_engagement.adapters import reports_queries as queries
from snp_engagement.adapters.reports_keys import ReportKeyMissing, ReportKeys, text_aad
from snp_engagement.adapters.reports_queries import ReportRow
from snp_platform.sealing import open_text

Conn = psycopg.Connection[Any]


def timeline(conn: Conn, key: bytes | None, row: ReportRow) -> list[dict[str, Any]]:
    """Received, then every step with its note, in order (no notes once `key` is gone)."""
    steps = [{"status": "received", "agency_name": "", "note": "", "at": row.filed_at.isoformat()}]
    for step in queries.timeline(conn, row.report_id):
        aad = text_aad(row.tenant, row.report_id, f"note:{step['version']}")
        steps.append(
            {
                "status": step["status"],
                "agency_name": step["agency_name"],
                "note": None if key is None else open_text(key, bytes(step["sealed_note"]), aad),
                "at": step["at"].isoformat(),
            }
        )
    return steps


def report_view(conn: Conn, keys: ReportKeys, row: ReportRow, *, staff: bool) -> dict[str, Any]:
    try:
        key: bytes | None = keys.key(conn, row.report_id)
    except ReportKeyMissing:
        key = None  # shredded: the texts can no longer be opened

    def opened(field: str, blob: bytes) -> str | None:
        if key is None:
            return None
        return open_text(key, blob, text_aad(row.tenant, row.report_id, field))

    view: dict[str, Any] = {
        "report_id": row.report_id,
        "ward_code": row.ward_code,
        "category": row.category,
        "what": opened("what", row.sealed_what),
        "where": opened("where", row.sealed_where),
        "postcode": opened("postcode", row.sealed_postcode) or None,
        "happened_at": row.happened_at,
        "time_known": row.time_known,  # false: happened_at names the day, not the time
        "filed_at": row.filed_at.isoformat(),
        "status": row.status,
        "agency_name": row.agency_name or None,
        "photo": (
            {"content_type": row.photo_type, "size": row.photo_size, "sha256": row.photo_sha256}
            if row.photo_type
            else None
        ),
        "timeline": timeline(conn, key, row),
        "shredded": key is None,
    }
    if staff:
        view["anonymous"] = not row.reporter
        view["agency_id"] = row.agency_id or None
    return view
