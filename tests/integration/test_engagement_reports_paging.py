"""GET /engagement/reports and /mine page by page against the real stack (engagement, OPA):
a resident's reports latest first in pages of `limit`, each page after the one before's
`next_cursor`, none twice and none left out, the last page's cursor null; police page the
force's list the same way; a partner's pages hold only the reports passed to its agency, full
pages although the force's other reports come between them; a cursor that is no report id
is a 422. A report given a day without a time answers `time_known: false` to police and to
its reporter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.integration.engagement_world import (
    WARD,
    EngagementWorld,
    _token,
    engagement_client,
)
from tests.integration.membership_people import identity_client
from tests.integration.test_portal_reports import world as reports_world

pytestmark = pytest.mark.integration
world = reports_world


@pytest.fixture(scope="module")
def engagement(stack: Any) -> Iterator[httpx.Client]:
    with engagement_client(stack) as client:
        yield client


def every_page(engagement: httpx.Client, path: str, auth: dict[str, str], limit: int) -> Any:
    pages, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = engagement.get(path, params=params, headers=auth)
        assert answer.status_code == 200, answer.text
        pages.append([r["report_id"] for r in answer.json()["reports"]])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return pages


def test_reports_lists_page_in_a_stable_order_and_a_partner_sees_only_its_own(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    resident, police = world.person("plain"), world.person("police")
    at = datetime.now(UTC) - timedelta(days=2)
    filed = []
    for n in range(12):
        body = {
            "ward_code": WARD,
            "category": "asb",
            "what": f"Paging report {n}",
            "where": "Mill Lane",
            "happened_at": (at + timedelta(minutes=n)).isoformat(),
            "time_known": n != 0,
        }
        made = engagement.post("/reports", json=body, headers=resident.auth)
        assert made.status_code == 201, made.text
        filed.append(made.json()["report_id"])

    mine = every_page(engagement, "/reports/mine", resident.auth, 5)
    assert [len(p) for p in mine] == [5, 5, 2]
    assert [r for p in mine for r in p] == list(reversed(filed))  # latest first, all once
    force = every_page(engagement, "/reports", police.auth, 5)
    assert [r for p in force for r in p][:12] == list(reversed(filed))

    council = next(k for k, v in world.agencies.items() if v == "Elm Council ASB team")
    passed = filed[1::4]  # three of them, with the force's others between
    for report_id in passed:
        answer = engagement.post(
            f"/reports/{report_id}/pass",
            json={"agency_id": council, "note": "For the council"},
            headers=police.auth,
        )
        assert answer.status_code == 204, answer.text
    with identity_client(stack) as identity:
        partner = {"Authorization": f"Bearer {_token(identity, world.account('council'))}"}
    theirs = every_page(engagement, "/reports", partner, 2)
    assert [len(p) for p in theirs] == [2, 1]
    assert [r for p in theirs for r in p] == list(reversed(passed))

    bad = engagement.get("/reports", params={"cursor": "x' OR 1=1"}, headers=police.auth)
    assert bad.status_code == 422
    too_many = engagement.get("/reports", params={"limit": 201}, headers=police.auth)
    assert too_many.status_code == 422

    day_only = filed[0]
    read = engagement.get(f"/reports/{day_only}", headers=police.auth).json()
    assert read["time_known"] is False
    assert engagement.get(f"/reports/{filed[1]}", headers=police.auth).json()["time_known"]
    followed = engagement.get(f"/reports/{day_only}/next", headers=resident.auth).json()
    assert followed["time_known"] is False
