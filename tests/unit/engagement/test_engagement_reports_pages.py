"""Paging a reports list (service_layer/reports_pages.py) over an in-memory list of rows: the
latest first by report id, each page after the one before's last id, no report twice or
left out, a policy that hides some rows still filling each page, a last page without a
cursor, and a scan bounded with the cursor handed on. The real stack:
tests/integration/test_engagement_reports_paging.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from snp_engagement.adapters.reports_queries import ReportRow
from snp_engagement.service_layer import reports_pages
from snp_engagement.service_layer.reports_pages import Page, page_of

TEMPLATE = ReportRow(
    "", "t", "E1", "asb", b"", b"", b"", "", "", "received", "", "", None, None, None, None,
    None, None,
)  # fmt: skip
ROWS = [replace(TEMPLATE, report_id=f"r{n:03d}") for n in range(1, 26)]  # r001 .. r025


def fetch(before: str | None, limit: int) -> list[ReportRow]:
    """As the SQL reads: ids below `before`, highest first."""
    older = [r for r in ROWS if before is None or r.report_id < before]
    return sorted(older, key=lambda r: r.report_id, reverse=True)[:limit]


def every_page(allowed: reports_pages.Allowed, limit: int) -> list[Page]:
    pages, cursor = [page_of(fetch, allowed, limit, None)], None
    while pages[-1].next_cursor:
        cursor = pages[-1].next_cursor
        pages.append(page_of(fetch, allowed, limit, cursor))
    return pages


def test_pages_follow_each_other_latest_first_and_the_last_has_no_cursor() -> None:
    pages = every_page(lambda rows: {r.report_id for r in rows}, 10)
    assert [len(p.rows) for p in pages] == [10, 10, 5]
    ids = [r.report_id for p in pages for r in p.rows]
    assert ids == [f"r{n:03d}" for n in range(25, 0, -1)]
    assert pages[0].next_cursor == "r016" and pages[-1].next_cursor is None


def test_an_exactly_full_last_page_hands_out_no_cursor() -> None:
    pages = every_page(lambda rows: {r.report_id for r in rows}, 25)
    assert len(pages) == 1 and pages[0].next_cursor is None


def test_rows_the_policy_hides_never_show_and_pages_still_fill(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reports_pages, "BATCH", 4)  # several batches for one page
    odd = {f"r{n:03d}" for n in range(1, 26, 2)}
    pages = every_page(lambda rows: {r.report_id for r in rows} & odd, 5)
    assert [len(p.rows) for p in pages] == [5, 5, 3]
    assert [r.report_id for p in pages for r in p.rows] == sorted(odd, reverse=True)


def test_a_bounded_scan_hands_on_the_cursor_of_the_last_row_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reports_pages, "BATCH", 3)
    monkeypatch.setattr(reports_pages, "MAX_BATCHES", 2)
    only_the_oldest = {"r001"}
    first = page_of(fetch, lambda rows: {r.report_id for r in rows} & only_the_oldest, 5, None)
    assert first == Page([], "r020")  # six rows read, none shown: go on from r020
