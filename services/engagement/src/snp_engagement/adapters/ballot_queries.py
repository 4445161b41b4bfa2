"""What the members' vote reads from engagement's tables: a ballot's candidates, one member's own
vote, and the counts the panel's officers decide from. Who voted for what is never read back."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

Conn = psycopg.Connection[Any]


def hold_ballot_open(conn: Conn, group_id: str, period: str) -> None:
    """Share-lock the ballot's row for this transaction: closing the vote (an UPDATE of it) waits
    for a vote being cast, and a vote cast after the close sees it closed."""
    conn.execute(
        "SELECT 1 FROM ballots WHERE group_id = %s AND period = %s FOR SHARE", (group_id, period)
    )


def ballot_view(
    conn: Conn, group_id: str, period: str, voter: str, *, with_counts: bool
) -> dict[str, Any]:
    """The ballot as a member sees it (the candidates, their own vote), with each candidate's
    votes and the number of voters for the panel's officers."""
    closed = conn.execute(
        "SELECT closed_at FROM ballots WHERE group_id = %s AND period = %s", (group_id, period)
    ).fetchone()
    with conn.cursor(row_factory=dict_row) as cur:
        candidates = cur.execute(
            "SELECT c.candidate_id, c.title, c.description, c.category,"
            " c.adopted_priority_id, count(v.voter)::int AS votes"
            " FROM candidates c LEFT JOIN votes v"
            " ON v.group_id = c.group_id AND v.period = c.period"
            " AND v.candidate_id = c.candidate_id"
            " WHERE c.group_id = %s AND c.period = %s"
            " GROUP BY c.candidate_id ORDER BY c.candidate_id",
            (group_id, period),
        ).fetchall()
    mine = conn.execute(
        "SELECT candidate_id FROM votes WHERE group_id = %s AND period = %s AND voter = %s",
        (group_id, period, voter),
    ).fetchone()
    closed_at = closed[0] if closed else None
    view: dict[str, Any] = {
        "period": period,
        "closed_at": closed_at.isoformat() if closed_at else None,
        "my_vote": mine[0] if mine else None,
        "candidates": candidates,
    }
    if with_counts:
        view["voters"] = sum(c["votes"] for c in candidates)
    else:
        for candidate in candidates:
            del candidate["votes"]
    return view
