"""Helpers for audit's integration tests: staff accounts with MFA, a private audit process on
its own database and consumer group, and a DBA's hands on the audit tables."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from snp_platform.eventstore import create_platform_schema
from snp_stack.ports import free_ports
from tests.integration.test_identity_api import (
    PASSWORD,
    bearer,
    create_operator,
    enrol_totp,
    next_code,
    sign_in,
)


def identity_client(stack: Any) -> httpx.Client:
    http_port, _grpc = stack.ports.services["identity"]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30)


def signed_in_with_mfa(identity: httpx.Client, tenant: str, email: str) -> str:
    """Sign in, enrol an authenticator, sign in again with a code: a token with MFA."""
    first = sign_in(identity, tenant, email)
    assert first.status_code == 200, first.text
    secret, _codes = enrol_totp(identity, first.json()["access_token"])
    again = sign_in(identity, tenant, email, next_code(secret))
    assert again.status_code == 200, again.text
    return str(again.json()["access_token"])


def operator_token(stack: Any, identity: httpx.Client) -> str:
    email = f"op-{uuid.uuid4().hex[:8]}@council.example"
    create_operator(stack, email)
    return signed_in_with_mfa(identity, "platform", email)


def create_staff(identity: httpx.Client, token: str, kind: str, tenant: str | None = None) -> str:
    """A staff account (by an operator for a first tenant admin, else by the tenant's admin);
    returns its email."""
    email = f"{kind}-{uuid.uuid4().hex[:8]}@force.example"
    body = {"kind": kind, "display_name": f"A {kind}", "email": email, "password": PASSWORD}
    made = identity.post("/accounts", headers=bearer(token), json=body | {"tenant": tenant})
    assert made.status_code == 201, made.text
    return email


def new_force(identity: httpx.Client, operator: str) -> tuple[str, str]:
    """A tenant and its admin's MFA token."""
    slug = f"force-{uuid.uuid4().hex[:8]}"
    made = identity.post(
        "/tenants", headers=bearer(operator), json={"slug": slug, "display_name": "Constabulary"}
    )
    assert made.status_code == 201, made.text
    admin_email = create_staff(identity, operator, "tenant_admin", slug)
    return slug, signed_in_with_mfa(identity, slug, admin_email)


def staff_token(identity: httpx.Client, admin: str, tenant: str, kind: str) -> str:
    return signed_in_with_mfa(identity, tenant, create_staff(identity, admin, kind, tenant))


@contextmanager
def fresh_database(stack: Any) -> Iterator[str]:
    name = f"audit_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    try:
        yield url
    finally:
        with psycopg.connect(stack.database_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


class AuditProcess:
    """`snp-audit <role>` on its own database and consumer group, killable and restartable."""

    def __init__(self, stack: Any, role: str, database_url: str, log: Path, **env: str) -> None:
        http, grpc = free_ports(2)
        self.http_port, self.grpc_port = http, grpc
        self.role, self.log_path = role, log
        self.env = {
            **os.environ,
            **stack.service_env("audit"),
            "DATABASE_URL": database_url,
            "SNP_HTTP_PORT": str(http),
            "SNP_GRPC_PORT": str(grpc),
            **env,
        }
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        with self.log_path.open("ab") as log:
            return subprocess.Popen(
                ["snp-audit", self.role], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def wait_listening(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()[-3000:]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"audit {self.role} did not listen: {self.log_path.read_text()}")

    def kill_and_restart(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.process = self._start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@contextmanager
def as_dba(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A superuser session with triggers off (`session_replication_role = replica`): what a
    DBA who wanted to rewrite the log would do, since the tables refuse it otherwise."""
    with psycopg.connect(database_url) as conn:
        conn.execute("SET session_replication_role = replica")
        yield conn
