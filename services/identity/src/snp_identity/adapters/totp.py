"""TOTP (RFC 6238) codes that can be used once, and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

import pyotp

STEP_SECONDS = 30
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)


def new_secret() -> str:
    return pyotp.random_base32(length=32)  # 160 bits, RFC 4226's recommended size


def provisioning_uri(secret: str, account_label: str, issuer: str = "Safer Neighbourhoods") -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_label, issuer_name=issuer)


def verify_code(secret: str, code: str, now: float, last_used_step: int | None) -> int | None:
    """The matched time step, or None: wrong, malformed, or already used (a replay)."""
    code = code.strip().replace(" ", "")
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):  # one step of clock drift either way
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step if last_used_step is None or step > last_used_step else None
    return None


def new_recovery_codes(n: int = 10) -> list[str]:
    return [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(n)
    ]


def _normalise(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def hash_recovery_code(code: str) -> str:
    """Salted SHA-256: the codes carry ~50 bits of randomness each and are single-use, so a slow
    hash would add cost without adding safety."""
    salt = secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + _normalise(code)).encode()).hexdigest()}"


def match_recovery_code(code: str, hashes: Sequence[str]) -> int | None:
    """The index of the unused hash the code matches, or None."""
    for index, stored in enumerate(hashes):
        salt, _, digest = stored.partition("$")
        candidate = hashlib.sha256((salt + _normalise(code)).encode()).hexdigest()
        if hmac.compare_digest(candidate, digest):
            return index
    return None
