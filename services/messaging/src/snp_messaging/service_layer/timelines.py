"""A message's deliveries over time, as the delivery dashboards chart them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg

from snp_messaging.adapters import messages
from snp_messaging.domain.timeline import OUTCOMES, interval_for, timeline


def delivery_timeline(conn: psycopg.Connection[Any], row: dict[str, Any]) -> dict[str, Any]:
    """Sent, failed and bounced deliveries per interval since the message was sent, by the
    time each outcome was recorded (the interval grows with the span: domain/timeline.py);
    no buckets before the first outcome."""
    sent_at = row["created_at"]
    last = messages.last_outcome_at(conn, row["id"])
    if last is None:
        return {"interval_seconds": interval_for(timedelta(0)), "buckets": []}
    interval = interval_for(last - sent_at)
    counted = messages.outcome_counts(conn, row["id"], sent_at, interval)
    return {
        "interval_seconds": interval,
        "buckets": [
            {"start": b.start.isoformat(), **{o: b.counts[o] for o in OUTCOMES}}
            for b in timeline(sent_at, interval, counted)
        ],
    }
