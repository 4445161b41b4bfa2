"""What the signed-in user's access token says about them: kind of account and whether they
signed in with a second factor. The portal reads it only to choose menus and consoles; it got
the token from identity itself, and every service verifies the same token again on each call,
so nothing here is a decision."""

from __future__ import annotations

from dataclasses import dataclass

import jwt


@dataclass(frozen=True)
class TokenClaims:
    account_id: str
    tenant: str
    kind: str
    mfa: bool


def claims_of(access_token: str) -> TokenClaims:
    """The claims; a token that is no JWT reads as no kind and no second factor (member menus,
    no console), since the services would refuse it anyway."""
    try:
        claims = jwt.decode(access_token, options={"verify_signature": False})
    except jwt.DecodeError:
        claims = {}
    amr = claims.get("amr") or []
    return TokenClaims(
        account_id=str(claims.get("sub", "")),
        tenant=str(claims.get("tenant", "")),
        kind=str(claims.get("kind", "")),
        mfa="mfa" in amr or "otp" in amr,
    )
