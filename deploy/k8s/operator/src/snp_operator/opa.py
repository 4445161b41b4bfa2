"""OPA beside the services: the policy bundle from a ConfigMap (rendered from policies/), its
decision logs sent to audit's `POST /audit/decision-logs`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import yaml

from snp_operator.catalogue import HTTP_PORT, OPA_PORT
from snp_operator.spec import PlatformSpec
from snp_operator.workloads import POD_SECURITY, SECURITY_CONTEXT, meta, selector

Obj = dict[str, Any]


def opa_config(platform: str) -> str:
    """OPA's configuration: decision logs to audit, batched, no telemetry."""
    # OPA substitutes ${...} from its environment (the token comes from the keys Secret), so the
    # ConfigMap holds no secret.
    token = {"bearer": {"token": "${SNP_DECISION_LOG_TOKEN}"}}
    config = {
        "services": {
            "audit": {"url": f"http://{platform}-audit:{HTTP_PORT}/audit", "credentials": token}
        },
        "decision_logs": {
            "service": "audit",
            "resource": "/decision-logs",
            "reporting": {"min_delay_seconds": 2, "max_delay_seconds": 10},
        },
    }
    return str(yaml.safe_dump(config, sort_keys=True))


def render_opa(platform: str, spec: PlatformSpec, policy: Mapping[str, str]) -> list[Obj]:
    """ConfigMaps for the policy and the config, OPA's Deployment and Service. The policy's hash
    is on the pod template, so a policy change rolls OPA."""
    files = {
        name: text
        for name, text in sorted(policy.items())
        if name.endswith((".rego", ".json")) and not name.endswith("_test.rego")
    }
    config = opa_config(platform)
    digest = hashlib.sha256(json.dumps([files, config], sort_keys=True).encode()).hexdigest()
    container: Obj = {
        "name": "opa",
        "image": spec.opa_image,
        "imagePullPolicy": spec.pull_policy,
        "args": [
            "run",
            "--server",
            f"--addr=0.0.0.0:{OPA_PORT}",
            "--config-file=/config/config.yaml",
            "--disable-telemetry",
            "--ignore=.*",  # the ConfigMap mount's ..data links would load the policy twice
            "/policy",
        ],
        "ports": [{"name": "http", "containerPort": OPA_PORT, "protocol": "TCP"}],
        "env": [
            {
                "name": "SNP_DECISION_LOG_TOKEN",
                "valueFrom": {
                    "secretKeyRef": {"name": spec.keys_secret, "key": "decision-log-token"}
                },
            }
        ],
        "readinessProbe": {"httpGet": {"path": "/health?bundles", "port": "http"}},
        "livenessProbe": {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 10},
        "resources": {
            "requests": {"cpu": "50m", "memory": "64Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi"},
        },
        "securityContext": SECURITY_CONTEXT,
        "volumeMounts": [
            {"name": "policy", "mountPath": "/policy", "readOnly": True},
            {"name": "config", "mountPath": "/config", "readOnly": True},
        ],
    }
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": meta(f"{platform}-policy", platform, "opa"),
            "data": files,
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": meta(f"{platform}-opa-config", platform, "opa"),
            "data": {"config.yaml": config},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta(f"{platform}-opa", platform, "opa"),
            "spec": {
                "replicas": spec.opa_replicas,
                "selector": {"matchLabels": selector(platform, "opa")},
                "template": {
                    "metadata": {
                        "labels": meta("", platform, "opa")["labels"],
                        "annotations": {"snp.saferneighbourhoods.org/policy-sha256": digest},
                    },
                    "spec": {
                        "automountServiceAccountToken": False,
                        "securityContext": POD_SECURITY,
                        "containers": [container],
                        "volumes": [
                            {"name": "policy", "configMap": {"name": f"{platform}-policy"}},
                            {"name": "config", "configMap": {"name": f"{platform}-opa-config"}},
                        ],
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta(f"{platform}-opa", platform, "opa"),
            "spec": {
                "selector": selector(platform, "opa"),
                "ports": [{"name": "http", "port": OPA_PORT, "targetPort": "http"}],
            },
        },
    ]
