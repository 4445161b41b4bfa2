"""TOTP (RFC 6238) codes that each work once, and single-use recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

import pyotp

STEP_SECONDS = 30  # RFC 6238's default, and what every authenticator app assumes
DIGITS = 6
DRIFT_STEPS = 1  # RFC 6238 section 5.2: accept one step either way for a phone's clock
SECRET_BYTES = 20  # 160 bits: RFC 4226 section 4 recommends it for HMAC-SHA1
# 31 symbols with no look-alikes (0/o, 1/l/i); 4 groups of 4 carry 16 * log2(31) = 79 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS, RECOVERY_GROUP_SIZE = 4, 4


def new_secret() -> str:
    """A fresh 160-bit TOTP secret, base32 without padding (20 bytes encode to 32 characters)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def provisioning_uri(secret: str, account_label: str, issuer: str = "Safer Neighbourhoods") -> str:
    """The `otpauth://totp/...` URI an authenticator app reads (usually as a QR code)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account_label, issuer_name=issuer
    )


def verify_code(secret: str, code: str, now: float, last_used_step: int | None) -> int | None:
    """The time step `code` belongs to, or None if it is wrong, malformed or already used.

    Steps within DRIFT_STEPS of `now` count. A code whose step is not after `last_used_step`
    is refused: each code works once, so one seen over a shoulder or phished cannot be replayed
    in its window. The caller stores the returned step as the new `last_used_step`.
    """
    code = code.strip().replace(" ", "")
    # isascii: str.isdigit accepts other scripts' digits, which compare_digest refuses to take.
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    matched = None
    # Every candidate step is computed and compared (no early exit), in constant time each.
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step < 0:
            continue
        fresh = last_used_step is None or step > last_used_step
        if hmac.compare_digest(totp.generate_otp(step), code) and fresh and matched is None:
            matched = step
    return matched


def code_was_used(secret: str, code: str, now: float, last_used_step: int | None) -> bool:
    """Whether a code verify_code refused is right for a step that was already used: a replay,
    or a person typing the code they signed in with a moment ago (told apart for their sake,
    and only ever after the password was right)."""
    code = code.strip().replace(" ", "")
    if last_used_step is None or len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return False
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    steps = range(max(0, current - DRIFT_STEPS), min(current + DRIFT_STEPS, last_used_step) + 1)
    return any(hmac.compare_digest(totp.generate_otp(step), code) for step in steps)


def new_recovery_codes(n: int = 10) -> list[str]:
    """`n` random codes like `k7mp-x2q9-hd4r-ta8w`, shown to the user once."""
    return [
        "-".join(
            "".join(secrets.choice(_ALPHABET) for _ in range(RECOVERY_GROUP_SIZE))
            for _ in range(RECOVERY_GROUPS)
        )
        for _ in range(n)
    ]


def _normalise(code: str) -> str:
    # People retype codes in capitals, with spaces instead of dashes, or with none at all.
    return "".join(code.split()).replace("-", "").lower()


def _digest(salt: str, code: str) -> str:
    # The salt is stored beside the digest, so plain concatenation is unambiguous.
    return hashlib.sha256((salt + _normalise(code)).encode()).hexdigest()


def hash_recovery_code(code: str) -> str:
    """`salt$sha256hex` to store for a recovery code.

    A fast salted hash is enough here, unlike for passwords: each code is ~79 random bits, so
    even a leaked table cannot be brute-forced (2^79 hashes), while argon2 exists to slow the
    guessing of low-entropy, human-chosen secrets. The salt stops one precomputation serving
    every account.
    """
    salt = secrets.token_hex(16)
    return f"{salt}${_digest(salt, code)}"


def match_recovery_code(code: str, hashes: Sequence[str]) -> int | None:
    """The index in `hashes` (the account's unused codes) that `code` matches, or None.

    The caller removes that hash, so each code works once.
    """
    if not _normalise(code):
        return None
    found = None
    for index, stored in enumerate(hashes):
        salt, _, digest = stored.partition("$")
        # Bytes, because compare_digest raises on non-ASCII text and storage is not trusted.
        same = hmac.compare_digest(_digest(salt, code).encode(), digest.encode())
        if same and found is None:
            found = index
    return found
