"""A per-delivery reply address, `reply+<token>@<mail domain>`, that a resident's mail client
answers to. The token is the delivery id with an HMAC of it under messaging's reply-address
key: the address says which delivery it answers, nobody can make one for a delivery they were
not sent, and it names no account. Base32, lowercase: mail systems may change a local part's
case, and base32 reads the same either way."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import uuid

PREFIX = "reply+"
_MAC_BYTES = 10  # 80 bits: a forger guesses a delivery's token with odds of 2**-80
_DOMAIN_SEPARATION = b"snp reply address v1:"
_TOKEN = re.compile(r"[a-z2-7]{42}")


def _mac(delivery: uuid.UUID, key: bytes) -> bytes:
    return hmac.new(key, _DOMAIN_SEPARATION + delivery.bytes, hashlib.sha256).digest()[:_MAC_BYTES]


def reply_token(delivery_id: str, key: bytes) -> str:
    delivery = uuid.UUID(delivery_id)
    raw = delivery.bytes + _mac(delivery, key)
    return base64.b32encode(raw).decode().rstrip("=").lower()


def reply_address(delivery_id: str, key: bytes, mail_domain: str) -> str:
    return f"{PREFIX}{reply_token(delivery_id, key)}@{mail_domain}"


def delivery_of(token: str, key: bytes) -> str | None:
    """The delivery a token was made for, or None for a token this key did not make."""
    token = token.lower()
    if not key or not _TOKEN.fullmatch(token):
        return None
    try:
        raw = base64.b32decode(token.upper() + "=" * 6)
    except (binascii.Error, ValueError):
        return None
    delivery = str(uuid.UUID(bytes=raw[:16]))
    # Compared as a whole token: base32's last character has bits the decoder ignores.
    if not hmac.compare_digest(reply_token(delivery, key), token):
        return None
    return delivery


def token_in(address: str, mail_domain: str) -> str | None:
    """The token of an address `reply+<token>@<mail domain>`, or None for any other address."""
    local, at, domain = address.strip().strip("<>").rpartition("@")
    if not at or domain.lower() != mail_domain.lower() or not local.lower().startswith(PREFIX):
        return None
    return local[len(PREFIX) :]
