"""The reports lists' pages and the report form's "time not given", as pure functions: the
GOV.UK pagination's links (engagement's cursor, the ward kept, "Newest reports" only past the
first page), a cursor engagement never hands out read as the first page, a day without a time
sent to engagement as such and said as such, never as a known midday. The real stack:
tests/integration/test_portal_browser_report_pages.py."""

from __future__ import annotations

from snp_portal.domain import reports as words
from snp_portal.entrypoints.report_pages import cursor_of, page_links


def a_form(**changes: str) -> dict[str, str]:
    values = {
        "ward": "E05000777",
        "category": "asb",
        "what": "Bins set alight",
        "where": "Mill Lane",
        "postcode": "",
        "day": "27",
        "month": "3",
        "year": "2026",
        "time": "",
        "way": "named",
    }
    return {**values, **changes}


def test_the_first_page_links_on_and_a_later_one_back_to_the_newest() -> None:
    first = page_links("/ward-reports", {"ward": "E05000777"}, "", "0190-b")
    assert first["next"] == {
        "href": "/ward-reports?ward=E05000777&cursor=0190-b",
        "text": "Older reports",
    }
    assert first["previous"] is None
    last = page_links("/reports", {}, "0190-b", None)
    assert last["next"] is None
    assert last["previous"] == {"href": "/reports", "text": "Newest reports"}
    assert cursor_of("0190-b") == "0190-b" and cursor_of("x' OR 1=1") == ""


def test_a_day_without_a_time_is_sent_and_said_as_the_day_only() -> None:
    body = words.report_body(a_form(), None)
    assert body["time_known"] is False
    assert body["happened_at"] == "2026-03-27T12:00:00+00:00"  # stands for the day
    assert words.when_words(body) == "27 March 2026 (time not given)"
    timed = words.report_body(a_form(time="21:30"), None)
    assert timed["time_known"] is True
    assert words.when_words(timed) == "27 March 2026 at 9:30pm"
    # A report from before the flag existed says its time as engagement has it.
    assert words.when_words({"happened_at": "2026-03-27T11:00:00+00:00"}) == (
        "27 March 2026 at 11:00am"
    )
