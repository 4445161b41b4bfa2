"""The backup and restore drill (e2e/backup_drill.py) on the session's stack: backed up while it
runs, restored into a new state folder on other ports and started there beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from e2e.backup_drill import drill
from snp_stack import services

pytestmark = pytest.mark.integration


def _last_position(stack: Any, service: str) -> int:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        row = conn.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()
    return int(row[0]) if row else 0


def test_a_restored_stack_is_the_platform_that_was_backed_up(stack: Any, tmp_path: Path) -> None:
    figures = drill(stack, accounts=20, work=tmp_path, stop_source=False)
    # The recovery point: every store up to its last event when it was dumped (the session's
    # stack was quiet meanwhile, so up to its last event now).
    point = figures["recovery_point"]
    assert set(point) == set(services.EVENT_SERVICE_NAMES)
    for service in ("identity", "membership", "messaging"):
        assert point[service]["position"] == _last_position(stack, service) > 0
    assert figures["audit"].startswith("OK")
    assert figures["events_after"]["membership"] > 0
    assert figures["projections_rebuilt"] > 0
