"""Shared by the account-security tests: a member registered through identity's own use case,
identity's REST client, the reset token messaging would mail (read from identity's events), and
the client-address throttle every test shares (all of them call from 127.0.0.1)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
import pyotp

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters.event_streams import account_stream
from snp_identity.service_layer.context import IdentityContext


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def identity_api(stack: Any) -> Iterator[httpx.Client]:
    http_port, _grpc = stack.ports.services["identity"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30) as client:
        yield client


def events_of(ctx: IdentityContext, tenant: str, account_id: str) -> list[Any]:
    history, _version = ctx.streams.load(account_stream(tenant, account_id))
    return list(history)


def reset_tokens(ctx: IdentityContext, tenant: str, account_id: str) -> list[str]:
    """The tokens of the account's PasswordResetRequested events, oldest first."""
    return [
        e.token
        for e in events_of(ctx, tenant, account_id)
        if isinstance(e, pb.PasswordResetRequested)
    ]


def forget_address_throttles(stack: Any) -> None:
    """Every test asks from 127.0.0.1: without this, the per-address limit on reset requests
    (20 an hour) would be shared by the whole run rather than tested by the test that means to."""
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        conn.execute("DELETE FROM sign_in_failures WHERE throttle_key LIKE 'reset:%'")


def fresh_code(totp: pyotp.TOTP) -> str:
    """A code for a step identity has not seen: the next one (the current may be spent)."""
    return totp.at(time.time() + 30)
