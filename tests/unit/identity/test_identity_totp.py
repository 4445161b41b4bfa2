"""TOTP codes (RFC 6238) that work once, with one step of drift, and single-use recovery codes."""

from __future__ import annotations

import base64
import re
import time
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from snp_identity.adapters.totp import (
    code_was_used,
    hash_recovery_code,
    match_recovery_code,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    verify_code,
)

NOW = 1_700_000_010.0  # 10 s into a 30 s step
STEP = int(NOW // 30)


@pytest.fixture
def secret() -> str:
    value: str = new_secret()
    return value


def code_at(secret: str, step: int) -> str:
    code: str = pyotp.TOTP(secret).at(step * 30)
    return code


def test_secrets_are_fresh_160_bit_base32() -> None:
    one, two = new_secret(), new_secret()
    assert one != two
    assert len(base64.b32decode(one)) == 20
    assert re.fullmatch(r"[A-Z2-7]{32}", one)


def test_provisioning_uri_is_what_an_authenticator_app_reads(secret: str) -> None:
    uri = provisioning_uri(secret, "alex@example.org")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert parse_qs(parsed.query)["issuer"] == ["Safer Neighbourhoods"]
    otp = pyotp.parse_uri(uri)
    assert (otp.secret, otp.name, otp.issuer) == (
        secret,
        "alex@example.org",
        "Safer Neighbourhoods",
    )
    assert pyotp.parse_uri(provisioning_uri(secret, "a1", issuer="Test")).issuer == "Test"


def test_the_current_code_returns_its_step(secret: str) -> None:
    assert verify_code(secret, code_at(secret, STEP), NOW, None) == STEP
    now = time.time()
    assert verify_code(secret, pyotp.TOTP(secret).at(now), now, None) == int(now // 30)


def test_a_code_used_once_is_refused_in_its_window_but_the_next_code_works(secret: str) -> None:
    code = code_at(secret, STEP)
    used = verify_code(secret, code, NOW, None)
    assert used == STEP
    assert verify_code(secret, code, NOW + 5, used) is None  # replay in the same step
    assert verify_code(secret, code, NOW + 30, used) is None  # still inside the drift window
    assert verify_code(secret, code_at(secret, STEP + 1), NOW + 30, used) == STEP + 1


def test_a_code_older_than_the_last_used_one_is_refused(secret: str) -> None:
    assert verify_code(secret, code_at(secret, STEP - 1), NOW, STEP) is None
    assert verify_code(secret, code_at(secret, STEP - 1), NOW, STEP - 2) == STEP - 1


@pytest.mark.parametrize("drift", [-1, 1])
def test_one_step_of_clock_drift_is_accepted(secret: str, drift: int) -> None:
    assert verify_code(secret, code_at(secret, STEP + drift), NOW, None) == STEP + drift


@pytest.mark.parametrize("drift", [-3, -2, 2, 3])
def test_more_drift_is_refused(secret: str, drift: int) -> None:
    assert verify_code(secret, code_at(secret, STEP + drift), NOW, None) is None


def test_a_wrong_code_is_refused(secret: str) -> None:
    right = code_at(secret, STEP)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert verify_code(secret, wrong, NOW, None) is None
    assert verify_code(new_secret(), right, NOW, None) is None


def test_spaces_are_forgiven(secret: str) -> None:
    code = code_at(secret, STEP)
    assert verify_code(secret, f" {code[:3]} {code[3:]} ", NOW, None) == STEP


@pytest.mark.parametrize(
    "code", ["", "12345", "1234567", "12345x", "abcdef", "١٢٣٤٥٦", "12-456", "+12345", "1" * 10_000]
)
def test_malformed_codes_are_refused_without_raising(secret: str, code: str) -> None:
    assert verify_code(secret, code, NOW, None) is None


def test_recovery_codes_are_random_human_friendly_and_high_entropy() -> None:
    codes = new_recovery_codes()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", c) for c in codes)
    assert not any(ch in c for c in codes for ch in "01ilo")  # no look-alikes
    assert len(new_recovery_codes(3)) == 3


def test_recovery_codes_are_stored_salted_and_match_whatever_the_formatting() -> None:
    codes = new_recovery_codes()
    hashes = [hash_recovery_code(c) for c in codes]
    assert not any(c in h or c.replace("-", "") in h for c in codes for h in hashes)
    assert hash_recovery_code(codes[0]) != hashes[0]  # salted
    retyped = f"  {codes[3].upper().replace('-', ' ')} "
    assert match_recovery_code(retyped, hashes) == 3
    assert match_recovery_code(codes[3].replace("-", ""), hashes) == 3


def test_a_recovery_code_works_once() -> None:
    codes = new_recovery_codes()
    hashes = [hash_recovery_code(c) for c in codes]
    used = match_recovery_code(codes[5], hashes)
    assert used == 5
    remaining = [h for i, h in enumerate(hashes) if i != used]  # what the service stores
    assert match_recovery_code(codes[5], remaining) is None
    assert match_recovery_code(codes[6], remaining) == 5


@pytest.mark.parametrize("code", ["", "   ", "----", "aaaa-bbbb-cccc-dddd", "é"])
def test_wrong_recovery_codes_are_refused(code: str) -> None:
    hashes = [hash_recovery_code(c) for c in new_recovery_codes()]
    assert match_recovery_code(code, hashes) is None


def test_malformed_stored_hashes_do_not_raise() -> None:
    code = new_recovery_codes(1)[0]
    assert match_recovery_code(code, ["", "no-dollar", "salt$é", hash_recovery_code(code)]) == 3


def test_a_reused_code_is_told_apart_from_a_wrong_one(secret: str) -> None:
    totp = pyotp.TOTP(secret)
    now = 1_700_000_000.0
    step = verify_code(secret, totp.at(now), now, None)
    assert step is not None
    assert code_was_used(secret, totp.at(now), now, step)
    assert not code_was_used(secret, totp.at(now + 30), now, step)  # not used yet
    wrong = f"{(int(totp.at(now)) + 1) % 1_000_000:06d}"
    assert not code_was_used(secret, wrong, now, step)
    assert not code_was_used(secret, totp.at(now), now, None)  # nothing used yet
