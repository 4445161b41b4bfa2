"""Staff pages (police, tenant admins, auditors, operators, partners): each needs a session
signed in with the second factor. A staff account that signed in with its password alone (it has no
authenticator yet, or set one up since) is sent to /staff/second-factor, which says how.
Another kind of account gets a refusal page (403, NotYourConsole) and none of the console's
content. The services refuse the same calls anyway: this only keeps people out of consoles that
would show them nothing but refusals (tests/integration/test_portal_staff_kinds.py proves both)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from snp_portal.adapters.token_claims import TokenClaims, claims_of
from snp_portal.entrypoints.web import SignedIn, signed_in

STAFF_KINDS = frozenset(
    {"police", "tenant_admin", "area_coordinator", "auditor", "operator", "partner"}
)


class NotYourConsole(Exception):
    """A signed-in account of another kind asked for a staff console's page: refused (403)."""


class SecondFactorFirst(Exception):
    """A staff account signed in without its second factor: /staff/second-factor says how."""


@dataclass(frozen=True)
class Staff:
    user: SignedIn
    claims: TokenClaims

    @property
    def token(self) -> str:
        return self.user.token


def signed_in_staff(request: Request, kinds: frozenset[str]) -> Staff:
    """The signed-in staff member, when their kind is one of `kinds` and they used their
    second factor; else to sign-in, to the second-factor page, or refused (NotYourConsole)."""
    user = signed_in(request)
    claims = claims_of(user.token)
    if claims.kind not in kinds:
        raise NotYourConsole
    if not claims.mfa:
        raise SecondFactorFirst
    return Staff(user, claims)
