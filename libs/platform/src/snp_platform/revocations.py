"""Revoked access: accounts whose tokens issued before a moment are no longer honoured.

Access tokens are verified offline and live up to 15 minutes, so disabling an account, erasing it
or revoking its role would otherwise leave its tokens working until they expire. Identity's events
feed a small table in every service's database (`token_revocations`); each API keeps it in memory,
refreshed every few seconds, and refuses any token of a listed account issued before its
`not_before`. A token issued afterwards (the role granted again) is honoured.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.logging import get_logger

# Identity's events that end an account's current access, and why.
REVOKING_EVENTS: dict[str, tuple[type[Any], str]] = {
    "identity.AccountDisabled": (identity_pb.AccountDisabled, "disabled"),
    "identity.AccountErased": (identity_pb.AccountErased, "erased"),
    "identity.RoleRevoked": (identity_pb.RoleRevoked, "role_revoked"),
    # The authenticator may be in someone else's hands: its sessions end everywhere too.
    "identity.AuthenticatorResetApproved": (
        identity_pb.AuthenticatorResetApproved,
        "authenticator_reset",
    ),
}

_log = get_logger(__name__)


class RevocationsUnavailable(Exception):
    """The list could not be refreshed for longer than allowed (answered 503: fail closed)."""


def record_revocation(
    conn: psycopg.Connection[Any], tenant: str, account_id: str, not_before: datetime, reason: str
) -> None:
    """Stop honouring the account's tokens issued before `not_before` (never moves it back)."""
    conn.execute(
        """
        INSERT INTO token_revocations (account_id, tenant, not_before, reason)
        VALUES (%s, %s, %s, %s)
        ON CONFLICT (account_id) DO UPDATE
        SET not_before = GREATEST(token_revocations.not_before, EXCLUDED.not_before),
            reason = CASE WHEN EXCLUDED.not_before > token_revocations.not_before
                          THEN EXCLUDED.reason ELSE token_revocations.reason END
        """,
        (account_id, tenant, not_before, reason),
    )


def revoke_partners_of_retired_agency(
    conn: psycopg.Connection[Any], tenant: str, event: Any, not_before: datetime
) -> None:
    """An AgencyRetired names the agency's partner accounts: none of their tokens is honoured."""
    if isinstance(event, identity_pb.AgencyRetired):
        for account_id in event.partner_account_ids:
            record_revocation(conn, tenant, account_id, not_before, "agency_retired")


def apply_identity_event(conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
    """The projection: identity's revoking events become rows; every other event is ignored."""
    if envelope.event_type == "identity.AgencyRetired":
        retired = identity_pb.AgencyRetired.FromString(envelope.payload)
        occurred = envelope.occurred_at.ToDatetime(tzinfo=UTC)
        revoke_partners_of_retired_agency(conn, envelope.tenant, retired, occurred)
        return
    known = REVOKING_EVENTS.get(envelope.event_type)
    if known is None:
        return
    message_type, reason = known
    event = message_type.FromString(envelope.payload)
    occurred = envelope.occurred_at.ToDatetime(tzinfo=UTC)
    record_revocation(conn, envelope.tenant, event.account_id, occurred, reason)


class RevocationsProjection:
    """Every service's projection of identity's revoking events (name it in the service's
    Subscriptions, with identity's topic, for its API to honour revocations)."""

    name = "token-revocations"
    event_types = (*REVOKING_EVENTS, "identity.AgencyRetired")

    def reset(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute("DELETE FROM token_revocations")

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        apply_identity_event(conn, envelope)


class RevocationList:
    """The service's revocations in memory, reloaded at most every `refresh_seconds`.

    A failed reload keeps the list already loaded (a database blip must not sign everyone out)
    but only for `max_staleness` seconds: past that, `is_revoked` raises rather than trust a list
    that may be missing a revocation, since revocations must take effect within a minute.
    """

    def __init__(
        self,
        pool: ConnectionPool[Any],
        *,
        refresh_seconds: float = 10.0,
        max_staleness: float = 45.0,
    ) -> None:
        self._pool = pool
        self._refresh_seconds, self._max_staleness = refresh_seconds, max_staleness
        self._not_before: dict[tuple[str, str], datetime] = {}
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def is_revoked(self, tenant: str, account_id: str, issued_at: datetime) -> bool:
        """Whether a token of the account issued at `issued_at` must be refused."""
        with self._lock:
            now = time.monotonic()
            if self._loaded_at is None or now - self._loaded_at >= self._refresh_seconds:
                self._reload(now)
            if self._loaded_at is None or now - self._loaded_at > self._max_staleness:
                raise RevocationsUnavailable("the revocation list could not be loaded")
            not_before = self._not_before.get((tenant, account_id))
        # iat has milliseconds (older tokens whole seconds, always before): a tie is refused.
        return not_before is not None and issued_at <= not_before

    def _reload(self, now: float) -> None:
        try:
            with self._pool.connection(timeout=2.0) as conn:
                rows = conn.execute(
                    "SELECT tenant, account_id, not_before FROM token_revocations"
                ).fetchall()
        except (psycopg.Error, TimeoutError) as exc:
            _log.warning("revocation list reload failed", error=type(exc).__name__)
            return
        self._not_before = {(tenant, account): at for tenant, account, at in rows}
        self._loaded_at = now
