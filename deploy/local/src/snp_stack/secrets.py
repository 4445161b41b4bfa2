"""Development secrets for a local stack: made once per state folder, kept beside its data.

Production takes these from Kubernetes Secrets; locally they must survive restarts (the data
they protect does), so they live in `<state>/secrets.env` (mode 0600) unless set in the
environment.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

NAMES = ("SNP_KEKS", "SNP_BLIND_INDEX_KEY")


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def _generate() -> dict[str, str]:
    return {"SNP_KEKS": f"local1:{_new_key()};active=local1", "SNP_BLIND_INDEX_KEY": _new_key()}


def load_or_create(state_dir: Path, env: Mapping[str, str]) -> dict[str, str]:
    """The stack's secrets: from the environment, else the state folder, else new ones."""
    if all(env.get(name) for name in NAMES):
        return {name: env[name] for name in NAMES}
    path = state_dir / "secrets.env"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.writelines(f"{k}={v}\n" for k, v in _generate().items())
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs if key in NAMES}
