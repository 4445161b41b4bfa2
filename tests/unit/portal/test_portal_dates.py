"""Dates on pages in GOV.UK's style and in UK time, whatever the services' UTC says."""

from __future__ import annotations

import pytest

from snp_portal.domain.dates import day, day_and_time


@pytest.mark.parametrize(
    ("iso", "said"),
    [
        ("2026-01-15T09:05:00+00:00", "15 January 2026 at 9:05am"),
        ("2026-07-15T15:30:00+00:00", "15 July 2026 at 4:30pm"),  # summer time: UTC+1
        ("2026-07-15T11:00:00+00:00", "15 July 2026 at midday"),
        ("2026-07-14T23:00:00Z", "15 July 2026 at midnight"),
        ("2026-12-02T07:31:12.123456+00:00", "2 December 2026 at 7:31am"),
        ("2026-12-02T12:45:00", "2 December 2026 at 12:45pm"),  # naive: taken as UTC
    ],
)
def test_a_moment_in_words(iso: str, said: str) -> None:
    assert day_and_time(iso) == said


def test_a_day_is_the_day_in_the_uk() -> None:
    assert day("2026-05-03T23:30:00+00:00") == "4 May 2026"
    assert day("2026-12-03T23:30:00+00:00") == "3 December 2026"
