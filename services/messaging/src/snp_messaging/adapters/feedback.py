"""Polls, their answers and recipients' ratings as rows: the read model of PollAttached,
PollAnswered and MessageRated (applied in the transaction that records each), and the
queries that read them. A poll's counts are kept as the answers come (`poll_counts`, one
row per option, and `polls.answered`), since answers are never changed; ratings are one row
per recipient, replaced by a later rating, and counted when read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from snp.messaging.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.domain.events import event_type
from snp_messaging.domain.feedback import PollDraft

Conn = psycopg.Connection[Any]

FEEDBACK_SCHEMA = """
CREATE TABLE IF NOT EXISTS polls (
    message_id uuid PRIMARY KEY,  -- a held alert's poll is kept under the id it is sent with
    tenant     text NOT NULL,
    question   text NOT NULL,
    options    text[] NOT NULL,
    multiple   boolean NOT NULL,
    answered   integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS poll_counts (
    message_id uuid NOT NULL,
    choice     integer NOT NULL,
    chosen     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, choice)
);
CREATE TABLE IF NOT EXISTS poll_answers (
    message_id  uuid NOT NULL,
    account_id  text NOT NULL,
    tenant      text NOT NULL,
    choices     integer[] NOT NULL,
    answered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, account_id)
);
CREATE INDEX IF NOT EXISTS poll_answers_account ON poll_answers (account_id);
CREATE TABLE IF NOT EXISTS message_ratings (
    message_id uuid NOT NULL,
    account_id text NOT NULL,
    tenant     text NOT NULL,
    useful     boolean NOT NULL,
    comment    text NOT NULL,
    rated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, account_id)
);
CREATE INDEX IF NOT EXISTS message_ratings_account ON message_ratings (account_id);
"""

_ATTACHED = event_type(pb.PollAttached())
_ANSWERED = event_type(pb.PollAnswered())
_RATED = event_type(pb.MessageRated())
FEEDBACK_EVENTS = frozenset({_ATTACHED, _ANSWERED, _RATED})


def apply(conn: Conn, envelope: EventEnvelope) -> None:
    """One of FEEDBACK_EVENTS as rows (a duplicate answer changes no count)."""
    tenant, kind, payload = envelope.tenant, envelope.event_type, envelope.payload
    if kind == _ATTACHED:
        attached = pb.PollAttached.FromString(payload)
        poll = attached.poll
        conn.execute(
            "INSERT INTO polls (message_id, tenant, question, options, multiple)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (message_id) DO NOTHING",
            (attached.message_id, tenant, poll.question, list(poll.options), poll.multiple),
        )
        conn.execute(
            "INSERT INTO poll_counts (message_id, choice) SELECT %s, generate_series(0, %s - 1)"
            " ON CONFLICT DO NOTHING",
            (attached.message_id, len(poll.options)),
        )
    elif kind == _ANSWERED:
        _answered(conn, tenant, pb.PollAnswered.FromString(payload), _when(envelope))
    elif kind == _RATED:
        rated = pb.MessageRated.FromString(payload)
        conn.execute(
            "INSERT INTO message_ratings (message_id, account_id, tenant, useful, comment,"
            " rated_at) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (message_id, account_id) DO UPDATE SET"
            " useful = EXCLUDED.useful, comment = EXCLUDED.comment, rated_at = EXCLUDED.rated_at",
            (
                rated.message_id,
                rated.account_id,
                tenant,
                rated.useful,
                rated.comment,
                _when(envelope),
            ),
        )


def _when(envelope: EventEnvelope) -> datetime:
    """When the event happened (not when it is applied: a rebuild keeps the times)."""
    if envelope.HasField("occurred_at"):
        at: datetime = envelope.occurred_at.ToDatetime(tzinfo=UTC)
        return at
    return datetime.now(UTC)


def _answered(conn: Conn, tenant: str, answered: pb.PollAnswered, at: datetime) -> None:
    inserted = conn.execute(
        "INSERT INTO poll_answers (message_id, account_id, tenant, choices, answered_at)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (answered.message_id, answered.account_id, tenant, list(answered.choices), at),
    ).rowcount
    if not inserted:
        return
    conn.execute(
        "UPDATE polls SET answered = answered + 1 WHERE message_id = %s", (answered.message_id,)
    )
    conn.execute(
        "UPDATE poll_counts SET chosen = chosen + 1 WHERE message_id = %s AND choice = ANY(%s)",
        (answered.message_id, list(answered.choices)),
    )


def find_poll(conn: Conn, message_id: str) -> PollDraft | None:
    row = conn.execute(
        "SELECT question, options, multiple FROM polls WHERE message_id = %s::uuid",
        (message_id,),
    ).fetchone()
    return None if row is None else PollDraft(row[0], tuple(row[1]), row[2])


def answer_of(conn: Conn, message_id: str, account_id: str) -> list[int] | None:
    """The recipient's choices, or None if they have not answered."""
    row = conn.execute(
        "SELECT choices FROM poll_answers WHERE message_id = %s::uuid AND account_id = %s",
        (message_id, account_id),
    ).fetchone()
    return None if row is None else list(row[0])


def rating_of(conn: Conn, message_id: str, account_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT useful, comment, rated_at FROM message_ratings"
            " WHERE message_id = %s::uuid AND account_id = %s",
            (message_id, account_id),
        )
        row = cur.fetchone()
    return None if row is None else {**row, "rated_at": row["rated_at"].isoformat()}


def poll_results(conn: Conn, message_id: str) -> dict[str, Any] | None:
    """The poll with each option's count and how many answered (None: no poll)."""
    found = conn.execute(
        "SELECT question, options, multiple, answered FROM polls WHERE message_id = %s::uuid",
        (message_id,),
    ).fetchone()
    if found is None:
        return None
    question, options, multiple, answered = found
    counts = dict(
        conn.execute(
            "SELECT choice, chosen FROM poll_counts WHERE message_id = %s::uuid", (message_id,)
        ).fetchall()
    )
    return {
        "question": question,
        "multiple": multiple,
        "answered": answered,
        "options": [
            {"choice": i, "text": text, "count": counts.get(i, 0)} for i, text in enumerate(options)
        ],
    }


def rating_results(conn: Conn, message_id: str, limit: int = 200) -> dict[str, Any]:
    """How many found the message useful or not, and the comments, newest first: with no
    account id or name, since a rating is the recipient's view, not a release of who they are."""
    useful, not_useful = conn.execute(
        "SELECT count(*) FILTER (WHERE useful), count(*) FILTER (WHERE NOT useful)"
        " FROM message_ratings WHERE message_id = %s::uuid",
        (message_id,),
    ).fetchone() or (0, 0)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT useful, comment, rated_at FROM message_ratings"
            " WHERE message_id = %s::uuid AND comment <> ''"
            " ORDER BY rated_at DESC LIMIT %s",
            (message_id, limit),
        )
        comments = [{**r, "rated_at": r["rated_at"].isoformat()} for r in cur.fetchall()]
    return {"useful": useful, "not_useful": not_useful, "comments": comments}


def member_feedback(conn: Conn, tenant: str, account_id: str) -> dict[str, Any]:
    """The account's own ratings and poll answers (their copy of their data)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT message_id::text, useful, comment, rated_at::text FROM message_ratings"
            " WHERE tenant = %s AND account_id = %s ORDER BY rated_at",
            (tenant, account_id),
        )
        ratings = cur.fetchall()
        cur.execute(
            "SELECT a.message_id::text, p.question, a.choices,"
            " array(SELECT p.options[c + 1] FROM unnest(a.choices) AS c) AS chosen,"
            " a.answered_at::text FROM poll_answers a JOIN polls p USING (message_id)"
            " WHERE a.tenant = %s AND a.account_id = %s ORDER BY a.answered_at",
            (tenant, account_id),
        )
        answers = cur.fetchall()
    return {"ratings": ratings, "poll_answers": answers}


def recipient_view(conn: Conn, message_id: str, account_id: str) -> dict[str, Any]:
    """What a recipient sees of a message's poll (with their answer, or None) and their own
    rating (or None); never anyone else's."""
    poll = find_poll(conn, message_id)
    shown = None
    if poll is not None:
        shown = {
            "question": poll.question,
            "options": list(poll.options),
            "multiple": poll.multiple,
            "answer": answer_of(conn, message_id, account_id),
        }
    return {"poll": shown, "rating": rating_of(conn, message_id, account_id)}
