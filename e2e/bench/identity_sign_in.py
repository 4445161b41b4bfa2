"""Identity: sign-ins per second (argon2id-bound, through the API) with p50/p95 latency, beside
the limit of one argon2id verify per core with the same parameters, measured in the same run;
and offline access-token verifications per second (what every service does on every request),
beside raw Ed25519 verifications of the same signature.
Goal (issue 19): sign-in at 4 clients >= 70 % of the argon2id limit."""

from __future__ import annotations

import base64
import json
import os
import statistics
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from e2e.bench.limits import on_every_core
from e2e.bench.ratios import Figure, Results, share_of_limit
from snp_identity.adapters.passwords import PasswordHasher
from snp_platform.tokens import TokenVerifier

PASSWORD = "correct horse battery staple 42"


def _operator_token(stack: Any, api: httpx.Client) -> str:
    import pyotp

    email = f"bench-op-{uuid.uuid4().hex[:6]}@council.example"
    command = ["snp-identity", "create-operator", "--email", email, "--name", "Council IT"]
    made = subprocess.run(
        [*command, "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        env={**os.environ, **stack.service_env("identity")},
        check=False,
        capture_output=True,
    )
    if made.returncode != 0:
        raise SystemExit(f"create-operator failed: {made.stderr.strip()[-500:]}")
    body = {"tenant": "platform", "email": email, "password": PASSWORD}
    token = api.post("/sessions", json=body).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    secret = api.post("/me/totp", headers=auth).json()["secret"]
    api.post("/me/totp/confirm", headers=auth, json={"code": pyotp.TOTP(secret).now()})
    code = pyotp.TOTP(secret).at(time.time() + 30)
    return str(api.post("/sessions", json={**body, "code": code}).json()["access_token"])


def _members(api: httpx.Client, operator: str, count: int) -> tuple[str, list[str]]:
    tenant = f"bench-{uuid.uuid4().hex[:6]}"
    api.post(
        "/tenants",
        headers={"Authorization": f"Bearer {operator}"},
        json={"slug": tenant, "display_name": "Bench Force"},
    ).raise_for_status()
    emails = [f"member{i}@bench.example" for i in range(count)]
    for email in emails:
        body = {"display_name": "Alex Resident", "email": email, "password": PASSWORD}
        api.post(f"/tenants/{tenant}/accounts", json=body).raise_for_status()
    return tenant, emails


def sign_in_rate(base_url: str, tenant: str, emails: list[str], clients: int, seconds: float):
    """Each client signs in its own members in turn for `seconds`: (per second, latencies)."""

    def client(mine: list[str]) -> list[float]:
        latencies: list[float] = []
        with httpx.Client(base_url=base_url, timeout=30) as api:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                email = mine[len(latencies) % len(mine)]
                started = time.perf_counter()
                answer = api.post(
                    "/sessions", json={"tenant": tenant, "email": email, "password": PASSWORD}
                )
                latencies.append(time.perf_counter() - started)
                answer.raise_for_status()
        return latencies

    shares = [emails[i::clients] for i in range(clients)]
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [x for done in pool.map(client, shares) for x in done]
    return len(latencies) / (time.monotonic() - started), latencies


def verify_rate(jwks_url: str, token: str, seconds: float) -> float:
    verifier = TokenVerifier(jwks_url)
    verifier.verify(token)  # fetch the keys once, as a running service has
    count, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        verifier.verify(token)
        count += 1
    return count / seconds


def ed25519_limit(jwks_url: str, token: str, seconds: float) -> float:
    """Raw Ed25519 verifications per second of the same token's signature over the same bytes
    (`cryptography`, one thread): the verifier's limit, without parsing or claim checks."""
    header, payload, signature = token.split(".")
    kid = json.loads(_unb64(header))["kid"]
    [key] = [k for k in httpx.get(jwks_url, timeout=10).json()["keys"] if k["kid"] == kid]
    public = Ed25519PublicKey.from_public_bytes(_unb64(key["x"]))
    signed, raw_signature = f"{header}.{payload}".encode(), _unb64(signature)
    count, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        public.verify(raw_signature, signed)
        count += 1
    return count / seconds


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def argon2_limit(seconds: float) -> float:
    """Verifies per second of identity's own hasher (same parameters, one thread per core)."""
    hasher = PasswordHasher()
    stored = hasher.hash(PASSWORD)
    return on_every_core(lambda: hasher.verify(stored, PASSWORD), seconds)


def _memory_kib(pid: int | None) -> tuple[int, int]:
    """(current, peak) resident memory of a process, from /proc."""
    if pid is None:
        return 0, 0
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def run(stack: Any, results: Results) -> None:
    print("== identity ==")
    http_port, _grpc = stack.ports.services["identity"]
    base_url = f"http://127.0.0.1:{http_port}/identity"
    with httpx.Client(base_url=base_url, timeout=30) as api:
        tenant, emails = _members(api, _operator_token(stack, api), count=16)
        token = api.post(
            "/sessions", json={"tenant": tenant, "email": emails[0], "password": PASSWORD}
        ).json()["access_token"]
    api_pid = stack.pid("identity-api")
    limit = argon2_limit(seconds=6)
    cores = os.cpu_count()
    for clients in (1, 4, 16):
        rate, latencies = sign_in_rate(base_url, tenant, emails, clients, seconds=10)
        cuts = statistics.quantiles(latencies, n=100)
        rss, peak = _memory_kib(api_pid)
        print(
            f"sign-in, {clients} client(s): p50 {cuts[49] * 1000:.1f} ms, p95"
            f" {cuts[94] * 1000:.1f} ms; identity api RSS {rss / 1024:.0f} MiB (peak so far"
            f" {peak / 1024:.0f} MiB)"
        )
        results.add(
            Figure(
                f"sign-in, {clients} client(s) (argon2id m=19 MiB t=2)",
                rate,
                "sign-ins/s",
                limit,
                f"argon2id verify, same parameters, 1 thread per core ({cores})",
                share_of_limit(0.7) if clients == 4 else None,
            )
        )
    jwks = f"{base_url}/.well-known/jwks.json"
    rate = verify_rate(jwks, token, seconds=5)
    results.add(
        Figure(
            "access-token verification (EdDSA, offline, 1 thread)",
            rate,
            "/s",
            ed25519_limit(jwks, token, seconds=5),
            "Ed25519 verify of the same signature and bytes (cryptography, 1 thread)",
        )
    )
