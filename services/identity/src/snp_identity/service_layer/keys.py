"""Identity's token signing keys: kept wrapped by the KEK, rotated, published while needed."""

from __future__ import annotations

from snp_identity.adapters import token_records
from snp_identity.adapters.records import Conn
from snp_identity.adapters.signing import (
    Keyring,
    SigningKey,
    new_signing_key,
    private_key_bytes,
    signing_key_from_bytes,
)
from snp_identity.service_layer.context import IdentityContext


def keyring(ctx: IdentityContext, conn: Conn | None = None) -> Keyring:
    """The keys from the database; the first call on an empty database creates one.

    Inside a transaction pass its `conn`: taking a second pooled connection while holding the
    event store's lock can exhaust the pool under load, every holder waiting for another.
    """
    if conn is None:
        with ctx.pool.connection() as own, own.transaction():
            return keyring(ctx, own)
    with conn.transaction():
        stored = token_records.signing_keys(conn)
        if not stored:
            token_records.lock_signing_keys(conn)  # one process makes the first key
            stored = token_records.signing_keys(conn)
        if not stored:
            _save(ctx, conn, new_signing_key(ctx.clock()), None)
            stored = token_records.signing_keys(conn)
    keys = [
        signing_key_from_bytes(kid, ctx.keks.unwrap(wrapped), created, retired)
        for kid, wrapped, created, retired in stored
    ]
    return Keyring(keys)


def rotate(ctx: IdentityContext) -> SigningKey:
    """Start signing with a new key; the old one stays published until its tokens expire."""
    ring = keyring(ctx)
    new = ring.rotate(ctx.clock())
    with ctx.pool.connection() as conn, conn.transaction():
        for key in ring.keys:
            _save(ctx, conn, key, key.retired_at)
    return new


def _save(ctx: IdentityContext, conn: Conn, key: SigningKey, retired: float | None) -> None:
    wrapped = ctx.keks.wrap(private_key_bytes(key))
    token_records.save_signing_key(conn, key.kid, wrapped, key.created_at, retired)
