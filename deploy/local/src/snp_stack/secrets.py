"""Development secrets for a local stack: made once per state folder, kept beside its data.

Production takes these from Kubernetes Secrets; locally they must survive restarts (the data
they protect does), so they live in `<state>/secrets.env` (mode 0600) unless set in the
environment. Each service also gets an Ed25519 key pair for calling the others over gRPC;
locally every service trusts every other one.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SHARED = ("SNP_KEKS", "SNP_BLIND_INDEX_KEY")
SERVICES = ("identity", "membership", "documents", "messaging", "engagement", "audit")
# Secrets only one service gets: documents' KEKs wrap every group's document key, engagement's
# every resident's report's key, messaging's every police attachment's key (and the key its
# reply addresses are made with: whoever has it can reply as anyone); audit's key signs
# its checkpoints, and its token is what OPA presents with its decision logs.
OWN: dict[str, tuple[str, ...]] = {
    "documents": ("SNP_DOCUMENT_KEKS",),
    "engagement": ("SNP_REPORT_KEKS",),
    "messaging": ("SNP_ATTACHMENT_KEKS", "SNP_REPLY_ADDRESS_KEY"),
    "audit": ("SNP_AUDIT_SIGNING_KEY", "SNP_DECISION_LOG_TOKEN"),
}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _keypair() -> str:
    key = Ed25519PrivateKey.generate()
    return f"{_b64(key.private_bytes_raw())}:{_b64(key.public_key().public_bytes_raw())}"


def _generate() -> dict[str, str]:
    made = {
        "SNP_KEKS": f"local1:{_b64(secrets.token_bytes(32))};active=local1",
        "SNP_BLIND_INDEX_KEY": _b64(secrets.token_bytes(32)),
        "SNP_DOCUMENT_KEKS": f"docs1:{_b64(secrets.token_bytes(32))};active=docs1",
        "SNP_REPORT_KEKS": f"reports1:{_b64(secrets.token_bytes(32))};active=reports1",
        "SNP_ATTACHMENT_KEKS": f"attach1:{_b64(secrets.token_bytes(32))};active=attach1",
        "SNP_REPLY_ADDRESS_KEY": _b64(secrets.token_bytes(32)),
    }
    made["SNP_AUDIT_SIGNING_KEY"] = _b64(Ed25519PrivateKey.generate().private_bytes_raw())
    made["SNP_DECISION_LOG_TOKEN"] = secrets.token_urlsafe(32)
    made["SNP_DEMO_SEED"] = secrets.token_urlsafe(32)
    made["SNP_PORTAL_SESSION_KEYS"] = f"portal1:{_b64(secrets.token_bytes(32))};active=portal1"
    return made | {f"SNP_SERVICE_KEYPAIR_{s.upper()}": _keypair() for s in SERVICES}


def _stored(state_dir: Path) -> dict[str, str]:
    path = state_dir / "secrets.env"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.writelines(f"{k}={v}\n" for k, v in _generate().items())
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    stored = dict(pairs)
    # A state folder from before a secret existed gets it added, never a stored one replaced.
    missing = {k: v for k, v in _generate().items() if k not in stored}
    if missing:
        with path.open("a") as out:
            out.writelines(f"{k}={v}\n" for k, v in missing.items())
        stored |= missing
    return stored


def for_service(state_dir: Path, env: Mapping[str, str], service: str) -> dict[str, str]:
    """The secrets one service's processes get (the environment wins over the state folder)."""
    stored = _stored(state_dir)
    chosen = {name: env.get(name) or stored[name] for name in (*SHARED, *OWN.get(service, ()))}
    pairs = {s: stored[f"SNP_SERVICE_KEYPAIR_{s.upper()}"].split(":") for s in SERVICES}
    chosen["SNP_SERVICE_SIGNING_KEY"] = pairs[service][0]
    trusted = {caller: pair[1] for caller, pair in pairs.items() if caller != service}
    chosen["SNP_SERVICE_TRUSTED_KEYS"] = json.dumps(trusted)
    return chosen


def portal_session_keys(state_dir: Path, env: Mapping[str, str]) -> str:
    """The portal's own secret (it gets none of the platform's): what seals its sessions."""
    return env.get("SNP_PORTAL_SESSION_KEYS") or _stored(state_dir)["SNP_PORTAL_SESSION_KEYS"]


def decision_log_token(state_dir: Path, env: Mapping[str, str]) -> str:
    """What OPA presents to audit with its decision logs (audit refuses uploads without it)."""
    return env.get("SNP_DECISION_LOG_TOKEN") or _stored(state_dir)["SNP_DECISION_LOG_TOKEN"]


def demo_seed(state_dir: Path) -> str:
    """What the demo accounts' passwords and TOTP secrets are derived from (`make run` only)."""
    return _stored(state_dir)["SNP_DEMO_SEED"]


def service_private_key(state_dir: Path, service: str) -> str:
    """A service's private key, for tests and tools that call other services as it."""
    return _stored(state_dir)[f"SNP_SERVICE_KEYPAIR_{service.upper()}"].split(":")[0]
