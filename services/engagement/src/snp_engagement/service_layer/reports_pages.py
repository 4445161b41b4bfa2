"""A page of a reports list, latest first, in a stable order: by report id, a UUIDv7, so by
filing time with no ties. The page is keyset-paged (`cursor`: the last id of the page before),
so a report filed meanwhile never shifts a page or shows twice. The rows are filtered by the
policy's batch decision, so a partner's page is read in batches until it is full; a scan is
bounded, and a page cut short by the bound still hands out the cursor to go on from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from snp_engagement.adapters.reports_queries import ReportRow

MAX_PAGE = 200
BATCH = 200
MAX_BATCHES = 20  # at most 4,000 rows read for one page

Fetch = Callable[[str | None, int], list[ReportRow]]  # (after this id, how many) -> rows
Allowed = Callable[[list[ReportRow]], set[str]]  # rows -> the ids the caller may see


@dataclass(frozen=True)
class Page:
    rows: list[ReportRow]
    next_cursor: str | None  # None: this is the last page


def page_of(fetch: Fetch, allowed: Allowed, limit: int, cursor: str | None) -> Page:
    """Up to `limit` rows the caller may see, after `cursor`, and where the next page starts."""
    shown: list[ReportRow] = []
    for _ in range(MAX_BATCHES):
        rows = fetch(cursor, BATCH)
        ok = allowed(rows) if rows else set()
        for row in rows:
            if row.report_id in ok:
                if len(shown) == limit:  # one more exists: the page is full and goes on
                    return Page(shown, shown[-1].report_id)
                shown.append(row)
        if len(rows) < BATCH:
            return Page(shown, None)
        cursor = rows[-1].report_id
    return Page(shown, cursor)  # the bound: go on from the last row read
