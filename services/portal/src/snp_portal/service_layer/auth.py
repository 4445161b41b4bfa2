"""Sessions and sign-in: what the pages do, in terms of the session store and identity."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from snp_portal.adapters.identity import (
    IdentityClient,
    NotSignedIn,
    Refused,
    ServiceUnavailable,
    Tokens,
)
from snp_portal.adapters.session_store import SessionStore
from snp_portal.domain import sessions
from snp_portal.domain.pending import PENDING_FOR, PendingSignIn
from snp_portal.domain.sessions import Session

# What a page shows once is held for its next pages this long at most.
HELD_FOR = timedelta(minutes=10)
# Refresh the access token when it has less than this left.
REFRESH_MARGIN = timedelta(seconds=30)
# A session's last use is written at most this often: a page then costs one read, not a read
# and a write, and the idle timeout is kept to within this much.
TOUCH_EVERY = timedelta(seconds=30)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Portal:
    store: SessionStore
    identity: IdentityClient
    idle: timedelta
    absolute: timedelta
    clock: Callable[[], datetime] = utcnow

    def current(self, session_id: str | None) -> Session | None:
        """The live session named by the cookie, touched; None if unknown or timed out (a
        timed-out one is deleted and its refresh family revoked)."""
        if not session_id:
            return None
        found = self.store.get(session_id)
        if found is None:
            return None
        now = self.clock()
        if found.expired(now, self.idle, self.absolute):
            # Forgotten here all the same if identity is down; its refresh token expires anyway.
            with contextlib.suppress(ServiceUnavailable):
                self.end(found)
            return None
        if now - found.last_seen_at < TOUCH_EVERY:
            return found
        touched = found.touched(now)
        self.store.touch(touched.session_id, touched.last_seen_at)
        return touched

    def pending(self, session: Session) -> PendingSignIn | None:
        """The sign-in this session started and has not finished, while it is fresh."""
        return self.store.pending(session.session_id, self.clock())

    def begin(self) -> Session:
        """A new, signed-out session (it carries the sign-in form's CSRF token)."""
        now = self.clock()
        # Sessions nobody came back to (anonymous ones mostly) are cleared as new ones begin.
        self.store.delete_idle_since(now - self.idle)
        fresh = sessions.start(now)
        self.store.put(fresh)
        return fresh

    def sign_in(
        self, session: Session, tenant: str, email: str, password: str, code: str | None
    ) -> tuple[Session, Refused | None]:
        """Ask identity; on success a NEW session id (no fixation) holds the tokens."""
        signed, refused, _recovery_codes_left = self.sign_in_telling_recovery(
            session, tenant, email, password, code
        )
        return signed, refused

    def sign_in_telling_recovery(
        self, session: Session, tenant: str, email: str, password: str, code: str | None
    ) -> tuple[Session, Refused | None, int | None]:
        """As sign_in, and how many recovery codes are left when one was the second factor."""
        outcome = self.identity.sign_in(tenant, email, password, code)
        if isinstance(outcome, Refused):
            if outcome.reason in ("second_factor", "second_factor_reused"):
                self.store.hold_pending(
                    session.session_id,
                    PendingSignIn(tenant, email, password),
                    self.clock() + PENDING_FOR,
                )
            else:
                self.store.drop_pending(session.session_id)
            return session, outcome, None
        self.store.drop_pending(session.session_id)
        self.store.delete(session.session_id)
        signed = self._with_tokens(sessions.start(self.clock()), outcome, tenant)
        self.store.put(signed)
        return signed, None, outcome.recovery_codes_left

    def renew_tokens(self, session: Session, tokens: Tokens) -> Session:
        """Tokens of a new refresh family for this session (after a password change)."""
        renewed = self._with_tokens(session, tokens, None)
        self.store.put(renewed)
        return renewed

    def hold(self, session: Session, what: str, value: Any) -> None:
        """Keep `value` for this session's next pages, sealed in its row, for 10 minutes."""
        now = self.clock()
        self.store.hold(session.session_id, what, value, now, now + HELD_FOR)

    def held(self, session: Session, what: str) -> Any:
        return self.store.held(session.session_id, what, self.clock())

    def take_held(self, session: Session, what: str) -> Any:
        """The held value, once: it is gone afterwards."""
        return self.store.held(session.session_id, what, self.clock(), take=True)

    def forget(self, session: Session) -> None:
        """Delete the session here only: identity has already revoked its refresh family."""
        self.store.drop_pending(session.session_id)
        self.store.delete(session.session_id)

    def _with_tokens(self, session: Session, tokens: Tokens, tenant: str | None) -> Session:
        return replace(
            session,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            access_expires_at=self.clock() + timedelta(seconds=tokens.expires_in),
            tenant=tenant or session.tenant,
        )

    def access_token(self, session: Session) -> str:
        """A usable access token, refreshed (rotating the refresh token) when about to expire;
        NotSignedIn when identity refuses the refresh."""
        if session.refresh_token is None:
            raise NotSignedIn
        expires = session.access_expires_at
        if session.access_token and expires and expires - self.clock() > REFRESH_MARGIN:
            return session.access_token
        try:
            tokens = self.identity.refresh(session.refresh_token)
        except NotSignedIn:
            self.store.delete(session.session_id)
            raise
        renewed = self._with_tokens(session, tokens, None)
        self.store.put(renewed)
        return tokens.access_token

    def end(self, session: Session) -> None:
        """Sign out: revoke the refresh family at identity, forget the session."""
        self.store.drop_pending(session.session_id)
        self.store.delete(session.session_id)
        if session.refresh_token:
            self.identity.sign_out(session.refresh_token)
