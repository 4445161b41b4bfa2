"""SQL for the authenticator resets waiting for a second administrator: rows follow the
account streams' AuthenticatorReset* events, written in the transaction that records them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from google.protobuf.message import Message
from psycopg.rows import class_row

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters.records import Conn


@dataclass(frozen=True)
class WaitingReset:
    request_id: str
    account_id: str
    requested_by: str
    reason: bytes  # sealed under the account's data key
    requested_at: float
    expires_at: float


def apply(conn: Conn, tenant: str, events: Sequence[Message], now: float) -> None:
    """The rows after these events of one account's stream (other events change nothing)."""
    for event in events:
        if isinstance(event, pb.AuthenticatorResetRequested):
            conn.execute(
                "INSERT INTO authenticator_resets (request_id, tenant, account_id, requested_by,"
                " reason, requested_at, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (request_id) DO NOTHING",
                (
                    event.request_id,
                    tenant,
                    event.account_id,
                    event.requested_by,
                    event.reason,
                    now,
                    event.expires_at,
                ),
            )
        elif isinstance(event, pb.AuthenticatorResetApproved):
            _decide(conn, event.request_id, "approved", event.approved_by)
        elif isinstance(event, pb.AuthenticatorResetRejected):
            _decide(conn, event.request_id, "rejected", event.rejected_by)
        elif isinstance(event, pb.AuthenticatorResetExpired):
            _decide(conn, event.request_id, "expired", None)
        elif isinstance(event, pb.AccountErased):
            # The reason is about the erased person: nothing of it is kept, sealed or not.
            conn.execute(
                "DELETE FROM authenticator_resets WHERE account_id = %s", (event.account_id,)
            )


def _decide(conn: Conn, request_id: str, outcome: str, decided_by: str | None) -> None:
    conn.execute(
        "UPDATE authenticator_resets SET outcome = %s, decided_by = %s WHERE request_id = %s",
        (outcome, decided_by, request_id),
    )


def waiting(conn: Conn, tenant: str, now: float) -> list[WaitingReset]:
    """The force's resets still waiting for a decision (an expired one waits no more)."""
    with conn.cursor(row_factory=class_row(WaitingReset)) as cur:
        return cur.execute(
            "SELECT request_id, account_id, requested_by, reason, requested_at, expires_at"
            " FROM authenticator_resets WHERE tenant = %s AND outcome = 'waiting'"
            " AND expires_at > %s ORDER BY requested_at",
            (tenant, now),
        ).fetchall()
