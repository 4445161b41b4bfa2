"""The portal (a web front: `Service.web`): HTML over REST only. Its pods get their own
database, the key ring that seals their session rows, the other services' REST base URLs (a
ConfigMap, hashed into the pod template so a change rolls them) and secure cookies; no gRPC,
Kafka, OPA or key of the platform's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from snp_operator.catalogue import BY_NAME, HTTP_PORT
from snp_operator.spec import PlatformSpec, ServiceSpec

Obj = dict[str, Any]
CONFIG_HASH = "snp.saferneighbourhoods.org/config-hash"


def config_name(platform: str, svc: ServiceSpec) -> str:
    return f"{platform}-{svc.name}"


def config(platform: str, svc: ServiceSpec) -> dict[str, str]:
    """What the ConfigMap holds: where each service's REST answers, and cookies only over
    HTTPS (the ingress in front terminates TLS, so `__Host-` cookies are Secure)."""
    urls = {
        f"SNP_{called.upper()}_BASE_URL": f"http://{platform}-{called}:{HTTP_PORT}"
        for called in BY_NAME[svc.name].rest_calls
    }
    return urls | {"SNP_COOKIE_SECURE": "true"}


def config_map(platform: str, svc: ServiceSpec, meta: Obj) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": meta,
        "data": config(platform, svc),
    }


def config_hash(platform: str, svc: ServiceSpec) -> str:
    text = json.dumps(config(platform, svc), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def environment(
    platform: str, spec: PlatformSpec, svc: ServiceSpec, secret_env: Callable[[str, str, str], Obj]
) -> list[Obj]:
    return [
        {"name": "SNP_SERVICE_NAME", "value": svc.name},
        {"name": "SNP_HTTP_HOST", "value": "0.0.0.0"},  # noqa: S104 (inside the pod)
        {"name": "SNP_HTTP_PORT", "value": str(HTTP_PORT)},
        {"name": "SNP_LOG_LEVEL", "value": spec.log_level},
        secret_env("DATABASE_URL", svc.database_secret, svc.database_secret_key),
        secret_env("SNP_PORTAL_SESSION_KEYS", spec.keys_secret, "portal-session-keys"),
    ]


def probes() -> Obj:
    """All over `/healthz`: the portal has no gRPC, and nothing it needs is its own to check
    but its database, which every page touches anyway."""
    probe = {"httpGet": {"path": "/healthz", "port": "http"}}
    return {
        "startupProbe": probe | {"periodSeconds": 2, "failureThreshold": 60},
        "readinessProbe": probe | {"periodSeconds": 5, "failureThreshold": 2},
        "livenessProbe": probe | {"periodSeconds": 10, "failureThreshold": 3},
    }
