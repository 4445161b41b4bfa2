"""What the report pages read: a report, a ward's reports, a report's timeline (texts still
sealed: the service layer opens them with the report's key)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

Conn = psycopg.Connection[Any]
_COLUMNS = (
    "report_id, tenant, ward_code, category, sealed_what, sealed_where, sealed_postcode,"
    " happened_at, reporter, status, agency_id, agency_name, photo_type, photo_size,"
    " photo_sha256, filed_at, reference, secret_sha256, time_unknown"
)


@dataclass(frozen=True)
class ReportRow:
    report_id: str
    tenant: str
    ward_code: str
    category: str
    sealed_what: bytes
    sealed_where: bytes
    sealed_postcode: bytes
    happened_at: str
    reporter: str
    status: str
    agency_id: str
    agency_name: str
    photo_type: str | None
    photo_size: int | None
    photo_sha256: str | None
    filed_at: Any
    reference: str | None
    secret_sha256: str | None
    time_unknown: bool = False  # the resident gave the day only

    @property
    def time_known(self) -> bool:
        return not self.time_unknown


def _row(values: Any) -> ReportRow:
    fields = list(values)
    for i in (4, 5, 6):
        fields[i] = bytes(fields[i])
    return ReportRow(*fields)


def find_report(conn: Conn, report_id: str) -> ReportRow | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM reports WHERE report_id = %s",  # noqa: S608 (fixed columns)
        (report_id,),
    ).fetchone()
    return None if row is None else _row(row)


def filed_by(conn: Conn, tenant: str, account_id: str) -> list[ReportRow]:
    """The reports an account filed under its name. An anonymous report has no reporter, so
    it can never be among them (invariant 12)."""
    if not account_id:
        return []
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM reports WHERE tenant = %s AND reporter = %s"  # noqa: S608
        " ORDER BY filed_at, report_id",
        (tenant, account_id),
    ).fetchall()
    return [_row(row) for row in rows]


def find_by_reference(conn: Conn, tenant: str, reference: str) -> ReportRow | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM reports WHERE tenant = %s AND reference = %s",  # noqa: S608
        (tenant, reference),
    ).fetchone()
    return None if row is None else _row(row)


def tenant_reports(
    conn: Conn, tenant: str, ward_code: str | None, limit: int, before: str | None = None
) -> list[ReportRow]:
    """The force's reports (of one ward, if named), the latest first (ids are UUIDv7), those
    filed before the report `before` only, if named."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM reports WHERE tenant = %s"  # noqa: S608 (fixed columns)
        " AND (%s::text IS NULL OR ward_code = %s) AND (%s::text IS NULL OR report_id < %s)"
        " ORDER BY report_id DESC LIMIT %s",
        (tenant, ward_code, ward_code, before, before, limit),
    ).fetchall()
    return [_row(row) for row in rows]


def reporter_reports(
    conn: Conn, tenant: str, reporter: str, limit: int, before: str | None = None
) -> list[ReportRow]:
    """The named reports an account filed in its force, the latest first (never an anonymous
    one: those name no reporter), those filed before the report `before` only, if named."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM reports WHERE tenant = %s"  # noqa: S608 (fixed columns)
        " AND reporter = %s AND (%s::text IS NULL OR report_id < %s)"
        " ORDER BY report_id DESC LIMIT %s",
        (tenant, reporter, before, before, limit),
    ).fetchall()
    return [_row(row) for row in rows]


def timeline(conn: Conn, report_id: str) -> list[dict[str, Any]]:
    """The report's steps after it was received, in order (notes still sealed)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT version, status, agency_name, sealed_note, by_account, at"
            " FROM report_updates WHERE report_id = %s ORDER BY version",
            (report_id,),
        ).fetchall()


def agency_name(conn: Conn, tenant: str, agency_id: str) -> str | None:
    """A live partner agency of the force, by its id (None: unknown, retired or elsewhere)."""
    row = conn.execute(
        "SELECT name FROM report_agencies WHERE agency_id = %s AND tenant = %s AND NOT retired",
        (agency_id, tenant),
    ).fetchone()
    return None if row is None else str(row[0])
