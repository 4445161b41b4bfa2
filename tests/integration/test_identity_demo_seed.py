"""The demo seed `make run` uses, against a fresh identity database on the real PostgreSQL: every
account it prints signs in with its password and a TOTP code from its secret; a seed
interrupted half-way is completed by the next run, which prints the same sign-ins."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import psycopg
import pyotp
import pytest
from psycopg_pool import ConnectionPool
from pydantic import SecretStr

from snp_identity.adapters.schema import create_identity_schema
from snp_identity.entrypoints.app import build_context
from snp_identity.service_layer import demo, second_factor, sessions
from snp_identity.service_layer.context import IdentityContext, InvalidInput
from snp_identity.settings import IdentitySettings
from snp_platform.eventstore import EventMetadata

pytestmark = pytest.mark.integration
SEED = "a-test-seed-that-is-long-enough"


@pytest.fixture
def identity_env(stack: Any, database_url: str) -> dict[str, str]:
    return {**stack.service_env("identity"), "DATABASE_URL": database_url, "SNP_DEMO_SEED": SEED}


@pytest.fixture
def ctx(identity_env: dict[str, str]) -> Iterator[IdentityContext]:
    url = identity_env["DATABASE_URL"]
    create_identity_schema(url)
    settings = IdentitySettings(
        database_url=url,
        keks=SecretStr(identity_env["SNP_KEKS"]),
        blind_index_key=SecretStr(identity_env["SNP_BLIND_INDEX_KEY"]),
    )
    with ConnectionPool(url, min_size=1, max_size=2) as pool:
        yield build_context(settings, pool)


def seed_with_the_cli(env: dict[str, str]) -> list[str]:
    """`snp-identity seed-demo`, as the stack runs it; the sign-in lines it printed."""
    script = Path(sys.executable).parent / "snp-identity"
    done = subprocess.run(
        [str(script), "seed-demo"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if "totp secret" in line]


def parse(line: str) -> dict[str, str]:
    kind, _, tenant, email, _, password, _, _, secret = line.split()
    return {"kind": kind, "tenant": tenant, "email": email, "password": password, "secret": secret}


def sign_in(ctx: IdentityContext, account: dict[str, str]) -> dict[str, Any]:
    code = pyotp.TOTP(account["secret"]).now()
    tokens = sessions.sign_in(
        ctx,
        account["tenant"],
        account["email"],
        account["password"],
        code,
        "127.0.0.1",
        EventMetadata(actor="anonymous"),
    )
    claims: dict[str, Any] = jwt.decode(tokens.access_token, options={"verify_signature": False})
    return claims


def accounts_per_email(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT email_index, count(*) FROM accounts GROUP BY 1").fetchall()
    return {str(index): int(count) for index, count in rows}


def test_every_printed_demo_account_signs_in_with_its_password_and_totp(
    identity_env: dict[str, str], ctx: IdentityContext
) -> None:
    lines = seed_with_the_cli(identity_env)
    printed = [parse(line) for line in lines]
    assert sorted(a["kind"] for a in printed) == sorted(
        ["area_coordinator", "auditor", "member", "operator", "partner", "police", "tenant_admin"]
    )
    for account in printed:
        claims = sign_in(ctx, account)
        assert claims["kind"] == account["kind"] and claims["tenant"] == account["tenant"]
        assert {"pwd", "otp", "mfa"} <= set(claims["amr"]), claims["amr"]
        # The demo partner acts for the demo force's council agency; no one else names one.
        assert bool(claims.get("agency")) == (account["kind"] == "partner"), claims
    # Run again: nothing new is made, and the same sign-ins are printed.
    assert seed_with_the_cli(identity_env) == lines
    assert set(accounts_per_email(identity_env["DATABASE_URL"]).values()) == {1}


def test_a_seed_interrupted_half_way_is_completed_by_the_next_run(
    identity_env: dict[str, str], ctx: IdentityContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirm = second_factor.confirm
    confirmed: list[tuple[Any, ...]] = []

    def crash_on_the_third(*args: Any, **kwargs: Any) -> list[str]:
        if len(confirmed) == 2:
            raise KeyboardInterrupt("the machine went down")
        confirmed.append(args)
        return confirm(*args, **kwargs)

    monkeypatch.setattr(second_factor, "confirm", crash_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        demo.seed(ctx, SEED)
    monkeypatch.setattr(second_factor, "confirm", confirm)
    assert len(accounts_per_email(identity_env["DATABASE_URL"])) == 3  # two done, one pending

    printed = [parse(line) for line in seed_with_the_cli(identity_env)]
    assert len(printed) == 7
    for account in printed:
        assert sign_in(ctx, account)["kind"] == account["kind"]
    assert set(accounts_per_email(identity_env["DATABASE_URL"]).values()) == {1}
    assert len(accounts_per_email(identity_env["DATABASE_URL"])) == 7


def test_the_demo_plan_passes_the_password_rules_for_any_seed() -> None:
    for n in range(200):
        plan = demo.plan(f"seed-number-{n:04d}-padding")
        assert len({a.password for a in plan}) == 1
        assert len({a.totp_secret for a in plan}) == len(plan)
    with pytest.raises(InvalidInput):
        demo.plan("short")
