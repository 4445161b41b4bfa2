"""Report retention against the real stack: the force's tenant admin sets how long closed
reports are kept, and the job (`snp-engagement shred-expired-reports`, daily in the relay)
crypto-shreds each closed report past it: key and photo gone, one `ReportShredded` event, the
report's facts and steps still there and its texts no longer readable; an open report, or a
closed one within the force's retention, is left alone."""

from __future__ import annotations

import base64
import os
import subprocess
from typing import Any

import psycopg
import pytest

from tests.integration.documents_world import make_accounts
from tests.integration.test_engagement_reports import PNG, _engagement_row, _report, world

__all__ = ["world"]
pytestmark = pytest.mark.integration


def _shred(stack: Any) -> str:
    """The operator's command, as the relay's daily job runs it: its last line, the summary
    (the structured log lines come before it)."""
    env = {**os.environ, **stack.service_env("engagement")}
    done = subprocess.run(
        ["snp-engagement", "shred-expired-reports"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def _closed_days_ago(stack: Any, report_id: str, days: int) -> None:
    """Time passing: the closing step happened `days` ago."""
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        conn.execute(
            "UPDATE report_updates SET at = now() - make_interval(days => %s)"
            " WHERE report_id = %s AND status = 'closed'",
            (days, report_id),
        )


def _events(stack: Any, report_id: str) -> list[str]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        rows = conn.execute(
            "SELECT event_type FROM events WHERE stream_id = %s ORDER BY stream_version",
            (f"report:{report_id}",),
        ).fetchall()
    return [str(r[0]) for r in rows]


def test_the_force_sets_its_retention_and_only_reports_closed_past_it_are_shredded(
    stack: Any, world: dict[str, Any]
) -> None:
    api, police, resident = world["api"], world["police"], world["resident"]
    admin = make_accounts(stack, world["tenant"], [("admin", "tenant_admin")])["admin"]

    # The default until the force sets its own; police read it, nobody else sets it.
    assert api.get("/retention/reports", headers=admin.headers).json() == {
        "days_after_closing": 365,
        "is_default": True,
    }
    assert api.get("/retention/reports", headers=police.headers).status_code == 200
    assert api.get("/retention/reports", headers=resident.headers).status_code == 403
    assert (
        api.put(
            "/retention/reports", json={"days_after_closing": 30}, headers=police.headers
        ).status_code
        == 403
    )
    too_short = api.put("/retention/reports", json={"days_after_closing": 3}, headers=admin.headers)
    assert too_short.status_code == 422
    assert too_short.headers["content-type"].startswith("application/problem+json")
    assert "between 7 and 3650 days" in too_short.text
    assert api.get("/retention/reports", headers=admin.headers).json()["is_default"] is True

    photo = base64.b64encode(PNG).decode()
    closing = api.post("/reports", json=_report(photo_base64=photo), headers=resident.headers)
    staying = api.post("/reports", json=_report(), headers=resident.headers)
    assert closing.status_code == staying.status_code == 201
    closed_id, open_id = closing.json()["report_id"], staying.json()["report_id"]
    moved = api.post(
        f"/reports/{closed_id}/status",
        json={"status": "closed", "note": "Patrols added: closing"},
        headers=police.headers,
    )
    assert moved.status_code == 204, moved.text
    _closed_days_ago(stack, closed_id, 40)

    # Closed 40 days ago, within the default year: kept.
    assert _shred(stack).startswith("shredded 0 ")
    assert api.get(f"/reports/{closed_id}", headers=police.headers).json()["shredded"] is False

    put = api.put("/retention/reports", json={"days_after_closing": 30}, headers=admin.headers)
    assert put.status_code == 200, put.text
    assert _shred(stack).startswith("shredded 1 ")
    assert _shred(stack).startswith("shredded 0 ")  # once only

    key = "SELECT count(*) FROM report_keys WHERE report_id = %s"
    photos = "SELECT count(*) FROM report_photos WHERE report_id = %s"
    assert _engagement_row(stack, key, closed_id)[0] == 0
    assert _engagement_row(stack, photos, closed_id)[0] == 0
    assert _engagement_row(stack, key, open_id)[0] == 1
    assert _events(stack, closed_id)[-1] == "engagement.ReportShredded"

    # Its facts and steps stay; no text can be read any more, by police or the resident.
    read = api.get(f"/reports/{closed_id}", headers=police.headers).json()
    assert read["shredded"] is True and read["status"] == "closed"
    assert (read["what"], read["where"], read["postcode"]) == (None, None, None)
    assert [s["status"] for s in read["timeline"]] == ["received", "closed"]
    assert read["timeline"][1]["note"] is None
    assert api.get(f"/reports/{closed_id}/photo", headers=police.headers).status_code == 404
    followed = api.get(f"/reports/{closed_id}/next", headers=resident.headers)
    assert followed.status_code == 200 and followed.json()["what"] is None
    kept = api.get(f"/reports/{open_id}", headers=police.headers).json()
    assert kept["shredded"] is False and kept["what"] == _report()["what"]
