"""Per-account field encryption, KEK wrapping and rotation, and the email blind index."""

from __future__ import annotations

import base64
import os
from unittest import mock

import pytest

from snp_identity.adapters.crypto import (
    DecryptionFailed,
    KeyEncryptionKeys,
    KeyUnavailable,
    KeyWrapper,
    blind_index,
    decrypt_field,
    encrypt_field,
    generate_config,
    new_data_key,
    wrapped_by,
)
from snp_platform import keywrap

AAD = b"snp-identity/met/a1/email"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _flip(blob: bytes, index: int) -> bytes:
    return blob[:index] + bytes([blob[index] ^ 1]) + blob[index + 1 :]


def test_data_keys_are_fresh_256_bit_keys() -> None:
    assert len(new_data_key()) == 32
    assert new_data_key() != new_data_key()


def test_a_field_round_trips_and_hides_its_plaintext() -> None:
    key = new_data_key()
    blob = encrypt_field(key, "alex@example.org", AAD)
    assert b"alex" not in blob
    assert decrypt_field(key, blob, AAD) == "alex@example.org"
    assert encrypt_field(key, "alex@example.org", AAD) != blob  # random nonce each time
    assert decrypt_field(key, encrypt_field(key, "", AAD), AAD) == ""
    assert decrypt_field(key, encrypt_field(key, "Zoë 🏠", AAD), AAD) == "Zoë 🏠"


@pytest.mark.parametrize(
    "aad",
    [
        b"snp-identity/met/a2/email",
        b"snp-identity/met/a1/phone",
        b"snp-identity/kent/a1/email",
        b"",
    ],
)
def test_a_field_cannot_be_moved_to_another_account_field_or_tenant(aad: bytes) -> None:
    key = new_data_key()
    with pytest.raises(DecryptionFailed):
        decrypt_field(key, encrypt_field(key, "alex@example.org", AAD), aad)


def test_a_field_needs_its_own_accounts_key() -> None:
    blob = encrypt_field(new_data_key(), "alex@example.org", AAD)
    with pytest.raises(DecryptionFailed):
        decrypt_field(new_data_key(), blob, AAD)  # e.g. after erasure destroyed the real key


@pytest.mark.parametrize("index", [0, 1, 12, 13, -1])  # version, nonce, ciphertext, tag
def test_tampering_with_any_part_of_a_field_is_detected(index: int) -> None:
    key = new_data_key()
    blob = encrypt_field(key, "alex@example.org", AAD)
    with pytest.raises(DecryptionFailed):
        decrypt_field(key, _flip(blob, index % len(blob)), AAD)


@pytest.mark.parametrize("length", [0, 1, 13, 28])
def test_truncated_fields_are_refused(length: int) -> None:
    key = new_data_key()
    with pytest.raises(DecryptionFailed):
        decrypt_field(key, encrypt_field(key, "alex@example.org", AAD)[:length], AAD)


def test_only_aes_256_data_keys_are_accepted() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        encrypt_field(os.urandom(16), "alex@example.org", AAD)


def test_keks_from_config_wrap_and_unwrap() -> None:
    keks: KeyWrapper = KeyEncryptionKeys.from_config(generate_config("k1") + "\n")
    data_key = new_data_key()
    wrapped = keks.wrap(data_key)
    assert data_key not in wrapped
    assert wrapped_by(wrapped) == "k1"
    assert keks.unwrap(wrapped) == data_key


def test_kek_rotation_rewraps_and_old_blobs_still_unwrap() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    before = KeyEncryptionKeys.from_config(f"k1:{_b64(k1)};active=k1")
    after = KeyEncryptionKeys.from_config(f"k1:{_b64(k1)}, k2:{_b64(k2)}=;active=k2")
    data_key = new_data_key()
    old_blob = before.wrap(data_key)
    assert after.unwrap(old_blob) == data_key  # not yet rewrapped: still readable
    assert wrapped_by(after.wrap(data_key)) == "k2"
    new_blob = after.rewrap(old_blob)
    assert wrapped_by(new_blob) == "k2"
    assert after.unwrap(new_blob) == data_key
    assert KeyEncryptionKeys({"k2": k2}, "k2").unwrap(new_blob) == data_key  # k1 now retirable
    with pytest.raises(KeyUnavailable):
        before.unwrap(new_blob)


def test_a_wrapped_key_refuses_tampering_the_wrong_kek_and_relabelling() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    keks = KeyEncryptionKeys({"k1": k1, "k2": k2}, "k1")
    wrapped = keks.wrap(new_data_key())
    for bad in (_flip(wrapped, len(wrapped) - 1), _flip(wrapped, 5), wrapped[:20]):
        with pytest.raises(DecryptionFailed):
            keks.unwrap(bad)
    with pytest.raises(DecryptionFailed):  # same id, different key material
        KeyEncryptionKeys({"k1": os.urandom(32)}, "k1").unwrap(wrapped)
    with pytest.raises(DecryptionFailed):  # the kid is authenticated: no swapping it
        keks.unwrap(wrapped.replace(b"k1", b"k2", 1))
    with pytest.raises(KeyUnavailable):
        keks.unwrap(wrapped.replace(b"k1", b"k9", 1))
    with pytest.raises(DecryptionFailed):
        keks.unwrap(b"")


@pytest.mark.parametrize(
    "config",
    [
        "",
        "k1:{key}",  # no active id
        "k1:{key};active=k2",  # active id not listed
        "k1:{short};active=k1",  # not 32 bytes
        "k1:not*base64!;active=k1",
        "k1{key};active=k1",  # no colon
        "k1:{key},k1:{key};active=k1",  # repeated id
        "k 1:{key};active=k 1",  # id with a space
    ],
)
def test_bad_kek_configuration_is_refused_without_echoing_keys(config: str) -> None:
    key, short = _b64(os.urandom(32)), _b64(os.urandom(16))
    with pytest.raises(ValueError, match="KEK") as refused:
        KeyEncryptionKeys.from_config(config.format(key=key, short=short))
    assert key not in str(refused.value)
    assert short not in str(refused.value)


def test_generated_configs_are_fresh() -> None:
    one, two = generate_config(), generate_config()
    assert one != two
    assert one.endswith(";active=k1")
    assert KeyEncryptionKeys.from_config(generate_config("dev-2")).active_id == "dev-2"


def test_the_blind_index_is_stable_keyed_and_ignores_case_and_spaces() -> None:
    key = os.urandom(32)
    index = blind_index(key, "alex@example.org")
    assert len(index) == 64
    int(index, 16)
    assert blind_index(key, "  Alex@Example.ORG\n") == index
    assert blind_index(key, "alex@example.org") == index
    assert blind_index(key, "alex@example.com") != index
    assert blind_index(os.urandom(32), "alex@example.org") != index
    assert "alex" not in index


def test_the_blind_index_refuses_a_missing_or_weak_key() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        blind_index(b"", "alex@example.org")


# A data key wrapped by identity's own KeyEncryptionKeys before it moved to snp_platform.keywrap
# (KEK bytes 0..31 under id "old-1", data key bytes 100..131, nonce bytes 200..211): databases
# made by that code hold blobs of exactly this shape, so they must keep unwrapping.
_OLD_KEK = "old-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8;active=old-1"
_OLD_BLOB = bytes.fromhex(
    "056f6c642d31c8c9cacbcccdcecfd0d1d2d3751d07bceea5914b185171d16e77996794f29adf7c12"
    "d25f91d4459e5a10296a54636631f5cf31ccea4f24ca41db20d1"
)


def test_a_data_key_wrapped_by_the_old_identity_code_still_unwraps() -> None:
    keks = KeyEncryptionKeys.from_config(_OLD_KEK)
    assert wrapped_by(_OLD_BLOB) == "old-1"
    assert keks.unwrap(_OLD_BLOB) == bytes(range(100, 132))
    rotated = KeyEncryptionKeys.from_config(
        _OLD_KEK.replace(";active=old-1", "") + ",new:" + _b64(os.urandom(32)) + ";active=new"
    )
    assert rotated.unwrap(rotated.rewrap(_OLD_BLOB)) == bytes(range(100, 132))
    with pytest.raises(DecryptionFailed):
        keks.unwrap(_flip(_OLD_BLOB, len(_OLD_BLOB) - 1))


def test_identity_names_the_platform_keywrap() -> None:
    assert KeyEncryptionKeys is keywrap.ConfiguredKeks
    assert issubclass(keywrap.UnwrapFailed, DecryptionFailed)
    assert KeyUnavailable is keywrap.KeyUnavailable
    # The same bytes as the old code for the same KEK, data key and nonce.
    with mock.patch("os.urandom", return_value=bytes(range(200, 212))):
        assert KeyEncryptionKeys.from_config(_OLD_KEK).wrap(bytes(range(100, 132))) == _OLD_BLOB
