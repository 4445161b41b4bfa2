"""When the argon2id parameters are raised, an account's hash is upgraded at its next sign-in,
against identity's real database: the old hash still verifies once, the new one is stored, and
the upgrade is an event."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import httpx
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp_identity.adapters.passwords import PasswordHasher
from snp_identity.entrypoints.app import build_context
from snp_identity.service_layer import sessions
from snp_identity.settings import IdentitySettings
from snp_platform.eventstore import EventMetadata
from tests.integration.test_identity_api import PASSWORD, api, new_tenant, operator, register_member

pytestmark = pytest.mark.integration
__all__ = ["api", "operator"]  # fixtures shared with test_identity_api


def _stored_hash(database_url: str, account_id: str) -> str:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT password_hash FROM credentials WHERE account_id = %s", (account_id,)
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_raising_the_argon2_parameters_rehashes_at_the_next_sign_in(
    stack: Any, api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant, email = new_tenant(api, operator), f"hash-{uuid.uuid4().hex[:6]}@example.org"
    account_id = register_member(api, tenant, email).json()["account_id"]
    database_url = stack.service_database_url("identity")
    before = _stored_hash(database_url, account_id)
    assert before.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP's first option

    env = stack.service_env("identity")
    settings = IdentitySettings(
        database_url=database_url,
        keks=env["SNP_KEKS"],
        blind_index_key=env["SNP_BLIND_INDEX_KEY"],
    )
    stronger = PasswordHasher(memory_kib=19456, iterations=3)
    with ConnectionPool(database_url, min_size=1, max_size=2) as pool:
        ctx = dataclasses.replace(build_context(settings, pool), hasher=stronger)
        metadata = EventMetadata(actor="anonymous")
        sessions.sign_in(ctx, tenant, email, PASSWORD, None, "127.0.0.1", metadata)
        after = _stored_hash(database_url, account_id)
        assert after != before and after.startswith("$argon2id$v=19$m=19456,t=3,p=1$")
        assert stronger.verify(after, PASSWORD)
        # Signing in again finds nothing to upgrade.
        sessions.sign_in(ctx, tenant, email, PASSWORD, None, "127.0.0.1", metadata)
        assert _stored_hash(database_url, account_id) == after
        with pool.connection() as conn:
            reasons = conn.execute(
                "SELECT count(*) FROM events WHERE stream_id LIKE %s AND event_type = %s",
                (f"%{account_id}", "identity.PasswordChanged"),
            ).fetchone()
        assert reasons == (1,)
    # The running service (old parameters) still accepts the upgraded hash.
    assert (
        api.post(
            "/sessions", json={"tenant": tenant, "email": email, "password": PASSWORD}
        ).status_code
        == 200
    )
