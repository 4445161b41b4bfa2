"""A force for the auditor's console tests: a watch group of a member, a police officer whose
read of the group's documents documents refuses, and an auditor; and how to find that refusal
in the force's audit log."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.integration.group_people import a_force_of
from tests.integration.kafka_helpers import wait_until
from tests.integration.membership_people import found_group, identity_context, membership_client
from tests.integration.portal_people import make_account


def documents_client(stack: Any) -> httpx.Client:
    http_port, _grpc = stack.ports.services["documents"]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/documents", timeout=30)


def audit_client(stack: Any) -> httpx.Client:
    http_port, _grpc = stack.ports.services["audit"]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/audit", timeout=30)


def run_audit_cli(stack: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **stack.service_env("audit")}
    return subprocess.run(
        ["snp-audit", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def verify_offline(export: Path, public_key: Path, *more: str) -> subprocess.CompletedProcess[str]:
    """The offline check an auditor runs: the command alone, no stack settings at all."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        ["snp-audit", "verify", str(export), "--public-key", str(public_key), *more],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refused_read_world(stack: Any) -> dict[str, Any]:
    """The people, the group, and the police officer's refused read logged and checkpointed."""
    people = a_force_of(
        stack,
        chair=("member", "Cal Chair"),
        police=("police", "PC Sam Patel"),
        auditor=("auditor", "Ava Auditor"),
    )
    police, auditor = people["police"][1], people["auditor"][1]
    # Each authenticator code works once: who signs in to the portal has used none yet.
    with identity_context(stack) as ctx:
        portal_accounts = {
            key: make_account(ctx, police.tenant, kind, name)
            for key, kind, name in (
                ("auditor", "auditor", "Ola Auditor"),
                ("police", "police", "PC Jo Evans"),
                ("admin", "tenant_admin", "Tam Admin"),
                ("member", "member", "Mo Member"),
            )
        }
    with membership_client(stack) as membership:
        group = found_group(membership, people["chair"][1], name="Elm Watch")
    with documents_client(stack) as documents:
        # Documents learns of the group from membership's events; then it asks OPA and obeys,
        # answering an outsider (no role in the group) as if the group were unknown: 404.
        wait_until(
            lambda: (
                documents.get(f"/groups/{group}/documents", headers=police.auth).status_code == 404
            ),
            timeout=60,
            what="documents refusing the police officer's read",
        )
    with audit_client(stack) as audit:
        wait_until(
            lambda: bool(refused_reads(audit, auditor.auth, police.account_id)),
            timeout=60,
            what="the refused read in the audit log",
        )
    assert run_audit_cli(stack, "sign-checkpoints").returncode == 0
    return {"people": people, "group": group, "portal": portal_accounts}


def refused_reads(audit: httpx.Client, auth: dict[str, str], actor: str) -> list[dict[str, Any]]:
    params = {"actor": actor, "type": "documents.document.read", "allowed": "false"}
    found = audit.get("/events", headers=auth, params=params)
    assert found.status_code == 200, found.text
    return list(found.json()["entries"])
