"""Passwords, TOTP, envelope encryption and token signing: the properties residents rely on."""

from __future__ import annotations

import time

import jwt
import pyotp
import pytest

from snp_identity.adapters import crypto, passwords, signing, totp

CHEAP = {"memory_kib": 1024, "iterations": 1}


def test_passwords_verify_only_the_right_one_and_flag_rehash_after_an_upgrade() -> None:
    old = passwords.PasswordHasher(**CHEAP)
    stored = old.hash("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    assert old.verify(stored, "a long enough passphrase")
    assert not old.verify(stored, "a long enough passphrasE")
    assert not old.verify("not a hash", "anything")
    assert not old.needs_rehash(stored)
    assert passwords.PasswordHasher(memory_kib=2048, iterations=1).needs_rehash(stored)


def test_default_parameters_are_owasps_argon2id_minimum() -> None:
    stored = passwords.PasswordHasher().hash("a long enough passphrase")
    assert "$m=19456,t=2,p=1$" in stored


@pytest.mark.parametrize(
    ("candidate", "problem"),
    [
        ("short", "at least 12"),
        ("x" * 129, "at most 128"),
        ("password1234", "too common"),
        ("alexandra-garden-gate", "name or email"),
    ],
)
def test_password_rules(candidate: str, problem: str) -> None:
    found = passwords.check_password(candidate, [["alexandra", "example.org"][0]])
    assert any(problem in p for p in found), found


def test_a_long_uncommon_password_passes_without_composition_rules() -> None:
    assert passwords.check_password("correct horse battery staple") == []


def test_totp_accepts_one_step_of_drift_and_refuses_replay_and_garbage() -> None:
    secret, now = totp.new_secret(), time.time()
    code = pyotp.TOTP(secret).at(now)
    step = totp.verify_code(secret, code, now, None)
    assert step == int(now // 30)
    assert totp.verify_code(secret, code, now, step) is None  # the same code again: replay
    assert totp.verify_code(secret, pyotp.TOTP(secret).at(now + 30), now, step) == step + 1
    assert totp.verify_code(secret, pyotp.TOTP(secret).at(now - 30), now, None) == step - 1
    assert totp.verify_code(secret, pyotp.TOTP(secret).at(now + 90), now, None) is None
    assert totp.verify_code(secret, "12345x", now, None) is None
    assert totp.provisioning_uri(secret, "acct-1").startswith("otpauth://totp/")


def test_recovery_codes_match_once_whatever_the_formatting() -> None:
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10
    hashes = [totp.hash_recovery_code(c) for c in codes]
    assert codes[3] not in "".join(hashes)
    assert totp.match_recovery_code(f"  {codes[3].upper().replace('-', ' ')} ", hashes) == 3
    assert totp.match_recovery_code("aaaaa-bbbbb", hashes) is None


def test_fields_decrypt_only_with_their_key_and_context() -> None:
    key = crypto.new_data_key()
    blob = crypto.encrypt_field(key, "alex@example.org", b"met/a1/email")
    assert b"alex" not in blob
    assert crypto.decrypt_field(key, blob, b"met/a1/email") == "alex@example.org"
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    for wrong_key, aad, data in (
        (crypto.new_data_key(), b"met/a1/email", blob),
        (key, b"met/a2/email", blob),
        (key, b"met/a1/email", tampered),
    ):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt_field(wrong_key, data, aad)


def test_kek_rotation_rewraps_and_old_blobs_still_unwrap() -> None:
    old = crypto.KeyEncryptionKeys.from_config(crypto.generate_config("k1"))
    data_key = crypto.new_data_key()
    wrapped = old.wrap(data_key)
    k1 = old._keys["k1"]
    both = crypto.KeyEncryptionKeys({"k1": k1, "k2": crypto.new_data_key()}, "k2")
    assert both.unwrap(wrapped) == data_key
    rewrapped = both.rewrap(wrapped)
    assert rewrapped[1:3] == b"k2"
    assert both.unwrap(rewrapped) == data_key
    with pytest.raises(crypto.KeyUnavailable):
        old.unwrap(rewrapped)
    with pytest.raises(crypto.DecryptionFailed):
        both.unwrap(wrapped[:-1] + bytes([wrapped[-1] ^ 1]))


def test_blind_index_is_keyed_and_ignores_case() -> None:
    key = crypto.new_data_key()
    assert crypto.blind_index(key, " Alex@Example.org") == crypto.blind_index(
        key, "alex@example.org"
    )
    assert crypto.blind_index(key, "alex@example.org") != crypto.blind_index(
        crypto.new_data_key(), "alex@example.org"
    )


def test_access_tokens_are_short_lived_eddsa_with_the_claims_services_need() -> None:
    ring = signing.Keyring([signing.new_signing_key(1000.0)])
    token, jti, exp = signing.issue_access_token(
        ring,
        subject="a1",
        tenant="met",
        kind="police",
        amr=["pwd", "otp", "mfa"],
        now=1000.0,
        issuer="snp-identity",
    )
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("EdDSA", ring.active.kid)
    claims = jwt.decode(
        token,
        ring.active.private_key.public_key(),
        algorithms=["EdDSA"],
        options={"verify_exp": False},
    )
    assert claims == {
        "sub": "a1",
        "tenant": "met",
        "kind": "police",
        "amr": ["pwd", "otp", "mfa"],
        "iat": 1000,
        "exp": 1900,
        "jti": jti,
        "iss": "snp-identity",
    }
    assert exp == 1900
    with pytest.raises(ValueError, match="15 minutes"):
        signing.issue_access_token(
            ring,
            subject="a1",
            tenant="met",
            kind="member",
            amr=["pwd"],
            now=1000.0,
            lifetime_seconds=901,
            issuer="snp-identity",
        )


def test_jwks_keeps_a_retired_key_until_its_tokens_have_expired() -> None:
    ring = signing.Keyring([signing.new_signing_key(0.0)])
    old_kid = ring.active.kid
    new = ring.rotate(now=100.0)
    assert ring.active.kid == new.kid != old_kid
    assert {k["kid"] for k in ring.jwks(500.0, 900)["keys"]} == {old_kid, new.kid}
    assert {k["kid"] for k in ring.jwks(1001.0, 900)["keys"]} == {new.kid}
    assert all(k["kty"] == "OKP" and k["crv"] == "Ed25519" for k in ring.jwks(0, 900)["keys"])


def test_refresh_tokens_are_random_and_stored_only_as_hashes() -> None:
    token, stored = signing.new_refresh_token()
    again, _ = signing.new_refresh_token()
    assert token != again
    assert len(token) >= 43
    assert token not in stored
    assert len(stored) == 64
