"""The mails read from a reply address: each one's Message-ID is kept (in the transaction that
records its reply), so a mail the server delivered twice is recorded once; and the delivery a
reply address answers, looked up by its id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]

INBOUND_MAILS_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbound_mails (
    mail_message_id text PRIMARY KEY,  -- the Message-ID the sender's mail client gave it
    delivery_id     uuid NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
"""


@dataclass(frozen=True)
class Answered:
    """The delivery a reply address was made for: whose, of which message."""

    tenant: str
    account_id: str
    message_id: str


def delivery(conn: Conn, delivery_id: str) -> Answered | None:
    row = conn.execute(
        "SELECT tenant, account_id, message_id::text FROM deliveries WHERE delivery_id = %s",
        (delivery_id,),
    ).fetchone()
    return None if row is None else Answered(row[0], row[1], row[2])


def first_time(conn: Conn, mail_message_id: str, delivery_id: str) -> bool:
    """Note the mail as read; False when it was read before (a second copy of it)."""
    cur = conn.execute(
        "INSERT INTO inbound_mails (mail_message_id, delivery_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (mail_message_id, delivery_id),
    )
    return cur.rowcount == 1
