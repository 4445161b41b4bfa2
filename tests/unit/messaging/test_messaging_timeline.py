"""A message's deliveries over time (domain/timeline.py) and the plain reasons police see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from snp_messaging.domain.deliveries import plain_reason
from snp_messaging.domain.timeline import MAX_BUCKETS, interval_for, timeline

SENT_AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("span", "interval"),
    [
        (timedelta(0), 60),
        (timedelta(minutes=59, seconds=59), 60),
        (timedelta(hours=1), 300),
        (timedelta(hours=4, minutes=59), 300),
        (timedelta(hours=5), 900),
        (timedelta(hours=15), 3600),
        (timedelta(days=3), 21600),
        (timedelta(days=15), 86400),
        (timedelta(days=400), 86400),
    ],
)
def test_the_interval_is_the_shortest_that_keeps_the_chart_to_sixty_bars(
    span: timedelta, interval: int
) -> None:
    assert interval_for(span) == interval
    if span < timedelta(days=60):
        assert span.total_seconds() // interval < MAX_BUCKETS


def test_every_interval_up_to_the_last_outcome_is_there_the_empty_ones_as_zeros() -> None:
    counted = [(0, "sent", 4), (0, "bounced", 1), (3, "sent", 2), (3, "failed", 1)]
    buckets = timeline(SENT_AT, 60, counted)
    assert [b.start for b in buckets] == [SENT_AT + timedelta(minutes=i) for i in range(4)]
    assert [dict(b.counts) for b in buckets] == [
        {"sent": 4, "failed": 0, "bounced": 1},
        {"sent": 0, "failed": 0, "bounced": 0},
        {"sent": 0, "failed": 0, "bounced": 0},
        {"sent": 2, "failed": 1, "bounced": 0},
    ]


def test_deliveries_without_an_outcome_are_not_counted() -> None:
    buckets = timeline(SENT_AT, 60, [(0, "pending", 7), (0, "queued", 3), (0, "sent", 1)])
    assert [dict(b.counts) for b in buckets] == [{"sent": 1, "failed": 0, "bounced": 0}]


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        ("sent", "", ""),
        ("pending", "451 try again later", ""),
        ("bounced", "550 5.1.1 <ann@bounce.example>: unknown user", "bounced"),
        ("failed", "no email address on the account", "no address"),
        ("failed", "no sms address on the account", "no address"),
        ("failed", "account erased", "account erased"),
        ("skipped", "account erased", "account erased"),
        ("failed", "554 refused ann@example.org", "failed"),
    ],
)
def test_a_plain_reason_never_repeats_the_provider_s_words(
    status: str, error: str, reason: str
) -> None:
    assert plain_reason(status, error) == reason
    assert "@" not in plain_reason(status, error)
