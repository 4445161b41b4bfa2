"""Reply threads as rows: the read model of AnonymousRepliesAllowed, ReplyPosted, ReplyAnswered
and ReplyThreadHandled (applied in the transaction that records each), and the queries that
read them. An anonymous thread's rows hold no account id: `account_id` is '' and only its
reference says which it is. Contact details are never here: a thread says what its member
chose to share, and the team's read asks identity for it."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from snp.messaging.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.domain.events import event_type
from snp_messaging.domain.replies import Thread

Conn = psycopg.Connection[Any]

REPLIES_SCHEMA = """
CREATE TABLE IF NOT EXISTS reply_settings (
    message_id        uuid PRIMARY KEY,  -- a held alert's setting is kept under its send id
    tenant            text NOT NULL,
    anonymous_replies boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS reply_threads (
    thread_id     uuid PRIMARY KEY,
    tenant        text NOT NULL,
    message_id    uuid NOT NULL,
    account_id    text NOT NULL,  -- '' for an anonymous reply
    anonymous     boolean NOT NULL,
    reference     text NOT NULL,  -- anonymous replies only
    share_contact text NOT NULL,  -- the latest reply's choice: none | email | phone | both
    status        text NOT NULL,  -- open | handled
    handled_by    text NOT NULL DEFAULT '',
    opened_at     timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS reply_threads_member
    ON reply_threads (message_id, account_id) WHERE account_id <> '';
CREATE INDEX IF NOT EXISTS reply_threads_message ON reply_threads (message_id, updated_at);
CREATE INDEX IF NOT EXISTS reply_threads_tenant ON reply_threads (tenant, status, updated_at);
CREATE TABLE IF NOT EXISTS reply_entries (
    reply_id          uuid PRIMARY KEY,
    thread_id         uuid NOT NULL REFERENCES reply_threads (thread_id),
    tenant            text NOT NULL,
    from_team         boolean NOT NULL,
    answered_by       text NOT NULL DEFAULT '',  -- the team member who answered
    text              text NOT NULL,
    share_contact     text NOT NULL DEFAULT 'none',
    answer_message_id text NOT NULL DEFAULT '',
    written_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS reply_entries_thread ON reply_entries (thread_id, written_at);
"""

_ALLOWED = event_type(pb.AnonymousRepliesAllowed())
_POSTED = event_type(pb.ReplyPosted())
_ANSWERED = event_type(pb.ReplyAnswered())
_HANDLED = event_type(pb.ReplyThreadHandled())
REPLY_EVENTS = frozenset({_ALLOWED, _POSTED, _ANSWERED, _HANDLED})


def apply(conn: Conn, envelope: EventEnvelope) -> None:
    """One of REPLY_EVENTS as rows (a duplicate changes nothing)."""
    tenant, kind, payload = envelope.tenant, envelope.event_type, envelope.payload
    if kind == _ALLOWED:
        allowed = pb.AnonymousRepliesAllowed.FromString(payload)
        conn.execute(
            "INSERT INTO reply_settings (message_id, tenant, anonymous_replies)"
            " VALUES (%s, %s, true) ON CONFLICT (message_id) DO NOTHING",
            (allowed.message_id, tenant),
        )
    elif kind == _POSTED:
        _posted(conn, tenant, pb.ReplyPosted.FromString(payload))
    elif kind == _ANSWERED:
        answered = pb.ReplyAnswered.FromString(payload)
        conn.execute(
            "INSERT INTO reply_entries (reply_id, thread_id, tenant, from_team, answered_by,"
            " text, answer_message_id) VALUES (%s, %s, %s, true, %s, %s, %s)"
            " ON CONFLICT (reply_id) DO NOTHING",
            (
                answered.reply_id,
                answered.thread_id,
                tenant,
                answered.answered_by,
                answered.text,
                answered.answer_message_id,
            ),
        )
        conn.execute(
            "UPDATE reply_threads SET updated_at = now() WHERE thread_id = %s",
            (answered.thread_id,),
        )
    elif kind == _HANDLED:
        handled = pb.ReplyThreadHandled.FromString(payload)
        conn.execute(
            "UPDATE reply_threads SET status = 'handled', handled_by = %s WHERE thread_id = %s",
            (handled.handled_by, handled.thread_id),
        )


def _posted(conn: Conn, tenant: str, posted: pb.ReplyPosted) -> None:
    # A member's new reply reopens their thread and says what they share now.
    conn.execute(
        "INSERT INTO reply_threads (thread_id, tenant, message_id, account_id, anonymous,"
        " reference, share_contact, status) VALUES (%s, %s, %s, %s, %s, %s, %s, 'open')"
        " ON CONFLICT (thread_id) DO UPDATE SET status = 'open', handled_by = '',"
        " share_contact = EXCLUDED.share_contact, updated_at = now()",
        (
            posted.thread_id,
            tenant,
            posted.message_id,
            posted.account_id,
            posted.anonymous,
            posted.reference,
            posted.share_contact,
        ),
    )
    conn.execute(
        "INSERT INTO reply_entries (reply_id, thread_id, tenant, from_team, text, share_contact)"
        " VALUES (%s, %s, %s, false, %s, %s) ON CONFLICT (reply_id) DO NOTHING",
        (posted.reply_id, posted.thread_id, tenant, posted.text, posted.share_contact),
    )


def anonymous_replies(conn: Conn, message_id: str) -> bool:
    row = conn.execute(
        "SELECT anonymous_replies FROM reply_settings WHERE message_id = %s::uuid", (message_id,)
    ).fetchone()
    return bool(row and row[0])


def _thread(row: Any) -> Thread | None:
    return None if row is None else Thread(str(row[0]), str(row[1]), row[2], row[3], row[4])


_THREAD = "SELECT thread_id, message_id, account_id, anonymous, status FROM reply_threads"


def member_thread(conn: Conn, message_id: str, account_id: str) -> Thread | None:
    """The member's own (named) thread on the message, if they replied."""
    return _thread(
        conn.execute(
            _THREAD + " WHERE message_id = %s::uuid AND account_id = %s AND account_id <> ''",
            (message_id, account_id),
        ).fetchone()
    )


def find_thread(conn: Conn, thread_id: str) -> Thread | None:
    return _thread(conn.execute(_THREAD + " WHERE thread_id = %s::uuid", (thread_id,)).fetchone())


_SUMMARY = (
    "SELECT t.thread_id::text AS id, t.message_id::text AS message_id, t.account_id,"
    " t.anonymous, t.reference, t.share_contact, t.status, t.opened_at, t.updated_at,"
    " m.subject, m.sender_id, m.sender_kind, m.group_id, m.tenant,"
    " (SELECT count(*) FROM reply_entries e WHERE e.thread_id = t.thread_id) AS entries"
    " FROM reply_threads t JOIN messages m ON m.message_id = t.message_id"
)


def threads_of_message(conn: Conn, message_id: str, limit: int = 200) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            _SUMMARY + " WHERE t.message_id = %s::uuid ORDER BY t.updated_at DESC LIMIT %s",
            (message_id, limit),
        )
        return cur.fetchall()


def threads_of_tenant(
    conn: Conn, tenant: str, status: str | None, limit: int = 200
) -> list[dict[str, Any]]:
    """The force's threads, newest first (the caller's team's are picked by the policy)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            _SUMMARY + " WHERE t.tenant = %s AND (%s::text IS NULL OR t.status = %s)"
            " ORDER BY t.updated_at DESC LIMIT %s",
            (tenant, status, status, limit),
        )
        return cur.fetchall()


def thread_summary(conn: Conn, thread_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_SUMMARY + " WHERE t.thread_id = %s::uuid", (thread_id,))
        return cur.fetchone()


def entries(conn: Conn, thread_id: str) -> list[dict[str, Any]]:
    """The thread's replies and answers, oldest first."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT reply_id::text AS id, from_team, answered_by, text, share_contact,"
            " answer_message_id, written_at FROM reply_entries WHERE thread_id = %s::uuid"
            " ORDER BY written_at, reply_id",
            (thread_id,),
        )
        return cur.fetchall()


def forget_replies_of(conn: Conn, account_id: str) -> None:
    """An erased member's words go with the account (the threads stay, emptied)."""
    conn.execute(
        "UPDATE reply_entries SET text = '' WHERE NOT from_team AND thread_id IN"
        " (SELECT thread_id FROM reply_threads WHERE account_id = %s AND account_id <> '')",
        (account_id,),
    )


def member_view(conn: Conn, message_id: str, account_id: str) -> dict[str, Any]:
    """What the member sees of replies on a message they were sent: whether it takes anonymous
    replies, and their own named thread (None if they have not replied): their replies and the
    team's answers, with no team member named."""
    thread = member_thread(conn, message_id, account_id)
    allowed = anonymous_replies(conn, message_id)
    if thread is None:
        return {"anonymous_replies": allowed, "thread": None}
    return {
        "anonymous_replies": allowed,
        "thread": {
            "id": thread.thread_id,
            "status": thread.status,
            "entries": [
                {
                    "id": e["id"],
                    "from_team": e["from_team"],
                    "text": e["text"],
                    "share_contact": None if e["from_team"] else e["share_contact"],
                    "written_at": e["written_at"].isoformat(),
                }
                for e in entries(conn, thread.thread_id)
            ],
        },
    }


def member_replies(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    """The account's named threads with every entry (their copy of their data)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT t.message_id::text, e.from_team, e.text, e.share_contact,"
            " e.written_at::text FROM reply_threads t JOIN reply_entries e USING (thread_id)"
            " WHERE t.tenant = %s AND t.account_id = %s AND t.account_id <> ''"
            " ORDER BY e.written_at, e.reply_id",
            (tenant, account_id),
        )
        return cur.fetchall()
