"""Per service: the api Deployment with probes, its Service, ServiceAccount, PDB and HPA, and a
Deployment per worker role (relay, consumer), which scales on its own. The portal (a web front,
see web.py) gets the same objects with REST only, and a ConfigMap."""

from __future__ import annotations

from typing import Any

from snp_operator import web
from snp_operator.catalogue import BY_NAME, GRPC_PORT, HTTP_PORT, OPA_PORT
from snp_operator.spec import PlatformSpec, ServiceSpec

Obj = dict[str, Any]


def labels(platform: str, component: str, role: str = "") -> dict[str, str]:
    """Selector labels: the platform instance, the component (service or opa) and its role."""
    found = {
        "app.kubernetes.io/name": component,
        "app.kubernetes.io/instance": platform,
        "app.kubernetes.io/part-of": "safer-neighbourhoods",
        "app.kubernetes.io/managed-by": "snp-operator",
    }
    return found | ({"snp.saferneighbourhoods.org/role": role} if role else {})


def selector(platform: str, component: str, role: str = "") -> dict[str, str]:
    keys = (
        "app.kubernetes.io/instance",
        "app.kubernetes.io/name",
        "snp.saferneighbourhoods.org/role",
    )
    return {k: v for k, v in labels(platform, component, role).items() if k in keys}


def meta(name: str, platform: str, component: str, role: str = "") -> Obj:
    return {"name": name, "labels": labels(platform, component, role)}


def _secret_env(name: str, secret: str, key: str, optional: bool = False) -> Obj:
    ref = {"name": secret, "key": key} | ({"optional": True} if optional else {})
    return {"name": name, "valueFrom": {"secretKeyRef": ref}}


def _forwarded(spec: PlatformSpec) -> list[Obj]:
    if not spec.trusted_proxies:
        return []
    return [{"name": "SNP_FORWARDED_ALLOW_IPS", "value": ",".join(spec.trusted_proxies)}]


def environment(platform: str, spec: PlatformSpec, svc: ServiceSpec) -> list[Obj]:
    if BY_NAME[svc.name].web:
        return web.environment(platform, spec, svc, _secret_env) + _forwarded(spec)
    return _service_environment(platform, spec, svc) + _forwarded(spec)


def _service_environment(platform: str, spec: PlatformSpec, svc: ServiceSpec) -> list[Obj]:
    env: list[Obj] = [
        {"name": "SNP_SERVICE_NAME", "value": svc.name},
        {"name": "SNP_HTTP_HOST", "value": "0.0.0.0"},  # noqa: S104 (inside the pod)
        {"name": "SNP_HTTP_PORT", "value": str(HTTP_PORT)},
        {"name": "SNP_GRPC_HOST", "value": "0.0.0.0"},  # noqa: S104
        {"name": "SNP_GRPC_PORT", "value": str(GRPC_PORT)},
        {"name": "SNP_LOG_LEVEL", "value": spec.log_level},
        {"name": "KAFKA_BOOTSTRAP", "value": spec.kafka_bootstrap},
        {"name": "OPA_URL", "value": f"http://{platform}-opa:{OPA_PORT}"},
        {
            "name": "SNP_JWKS_URL",
            "value": f"http://{platform}-identity:{HTTP_PORT}/identity/.well-known/jwks.json",
        },
        *(
            {
                "name": f"SNP_{called.upper()}_GRPC_TARGET",
                "value": f"{platform}-{called}:{GRPC_PORT}",
            }
            for called in BY_NAME[svc.name].calls
        ),
        _secret_env("DATABASE_URL", svc.database_secret, svc.database_secret_key),
        _secret_env("SNP_SERVICE_SIGNING_KEY", spec.keys_secret, f"{svc.name}-signing-key"),
        _secret_env("SNP_SERVICE_TRUSTED_KEYS", spec.keys_secret, "service-public-keys.json"),
    ]
    if svc.name == "identity":
        env += [
            _secret_env("SNP_KEKS", spec.keys_secret, "keks"),
            _secret_env("SNP_BLIND_INDEX_KEY", spec.keys_secret, "blind-index-key"),
        ]
    if svc.name == "messaging":
        env.append(_secret_env("SNP_ATTACHMENT_KEKS", spec.keys_secret, "attachment-keks"))
        # Optional: without it mail carries no reply address and no mailed reply is read.
        env.append(
            _secret_env("SNP_REPLY_ADDRESS_KEY", spec.keys_secret, "reply-address-key", True)
        )
    if svc.name == "messaging" and spec.portal_url:
        env.append({"name": "SNP_PORTAL_BASE_URL", "value": spec.portal_url.rstrip("/")})
    if svc.name == "documents":
        env.append(_secret_env("SNP_DOCUMENT_KEKS", spec.keys_secret, "document-keks"))
    if svc.name == "engagement":
        env.append(_secret_env("SNP_REPORT_KEKS", spec.keys_secret, "report-keks"))
    if svc.name == "audit":
        env += [
            _secret_env("SNP_AUDIT_SIGNING_KEY", spec.keys_secret, "audit-checkpoint-key"),
            _secret_env("SNP_DECISION_LOG_TOKEN", spec.keys_secret, "decision-log-token"),
        ]
    if spec.kafka_secret:
        env += [
            _secret_env("SNP_KAFKA_USERNAME", spec.kafka_secret, "username", optional=True),
            _secret_env("SNP_KAFKA_PASSWORD", spec.kafka_secret, "password", optional=True),
            _secret_env(
                "SNP_KAFKA_SECURITY_PROTOCOL", spec.kafka_secret, "security-protocol", optional=True
            ),
            _secret_env(
                "SNP_KAFKA_SASL_MECHANISM", spec.kafka_secret, "sasl-mechanism", optional=True
            ),
            _secret_env("SNP_KAFKA_CA_PEM", spec.kafka_secret, "ca.crt", optional=True),
        ]
    return env


SECURITY_CONTEXT: Obj = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "capabilities": {"drop": ["ALL"]},
}
POD_SECURITY: Obj = {
    "runAsNonRoot": True,
    "runAsUser": 10001,
    "runAsGroup": 10001,
    "fsGroup": 10001,
    "seccompProfile": {"type": "RuntimeDefault"},
}


def _probes() -> Obj:
    """Startup and readiness over REST (`/healthz`, `/readyz`); liveness over gRPC health, so
    a wedged gRPC server restarts the pod too."""
    return {
        "startupProbe": {
            "httpGet": {"path": "/healthz", "port": "http"},
            "periodSeconds": 2,
            "failureThreshold": 60,
        },
        "readinessProbe": {
            "httpGet": {"path": "/readyz", "port": "http"},
            "periodSeconds": 5,
            "failureThreshold": 2,
        },
        "livenessProbe": {"grpc": {"port": GRPC_PORT}, "periodSeconds": 10, "failureThreshold": 3},
    }


def _worker_probes() -> Obj:
    """A relay or consumer is alive while its loop goes round (`/healthz` turns 503 after two
    minutes without a turn): a wedged worker is restarted; an idle one is fine."""
    probe = {"httpGet": {"path": "/healthz", "port": "health"}, "periodSeconds": 10}
    return {
        "readinessProbe": probe | {"failureThreshold": 2},
        "livenessProbe": probe | {"failureThreshold": 3},
    }


def deployment(platform: str, spec: PlatformSpec, svc: ServiceSpec, role: str) -> Obj:
    name = f"{platform}-{svc.name}" if role == "api" else f"{platform}-{svc.name}-{role}"
    container: Obj = {
        "name": svc.name if role == "api" else role,
        "image": spec.image(svc),
        "imagePullPolicy": spec.pull_policy,
        "args": [role],
        "env": environment(platform, spec, svc),
        "resources": svc.resources,
        "securityContext": SECURITY_CONTEXT,
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],  # noqa: S108
    }
    pod_annotations: Obj = {}
    if BY_NAME[svc.name].web:
        container["ports"] = [{"name": "http", "containerPort": HTTP_PORT, "protocol": "TCP"}]
        container["envFrom"] = [{"configMapRef": {"name": web.config_name(platform, svc)}}]
        container |= web.probes()
        pod_annotations = {web.CONFIG_HASH: web.config_hash(platform, svc)}
    elif role == "api":
        container["ports"] = [
            {"name": "http", "containerPort": HTTP_PORT, "protocol": "TCP"},
            {"name": "grpc", "containerPort": GRPC_PORT, "protocol": "TCP"},
        ]
        container |= _probes()
    else:
        container["ports"] = [{"name": "health", "containerPort": HTTP_PORT, "protocol": "TCP"}]
        container["env"] = [*container["env"], {"name": "SNP_HEALTH_PORT", "value": str(HTTP_PORT)}]
        container |= _worker_probes()
    # The api's replica count belongs to its HPA; applying one here would fight it.
    replicas = {} if role == "api" else {"replicas": svc.workers[role]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(name, platform, svc.name, role),
        "spec": replicas
        | {
            "selector": {"matchLabels": selector(platform, svc.name, role)},
            "template": {
                "metadata": {"labels": labels(platform, svc.name, role)}
                | ({"annotations": pod_annotations} if pod_annotations else {}),
                "spec": {
                    "serviceAccountName": f"{platform}-{svc.name}",
                    "automountServiceAccountToken": False,
                    "securityContext": POD_SECURITY,
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {"medium": "Memory"}}],
                },
            },
        },
    }


def service(platform: str, svc: ServiceSpec) -> Obj:
    ports: list[Obj] = [
        {"name": "http", "port": HTTP_PORT, "targetPort": "http", "protocol": "TCP"}
    ]
    if not BY_NAME[svc.name].web:
        ports.append(
            {
                "name": "grpc",
                "port": GRPC_PORT,
                "targetPort": "grpc",
                "protocol": "TCP",
                "appProtocol": "grpc",
            }
        )
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(f"{platform}-{svc.name}", platform, svc.name, "api"),
        "spec": {"selector": selector(platform, svc.name, "api"), "ports": ports},
    }


def service_account(platform: str, svc: ServiceSpec) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": meta(f"{platform}-{svc.name}", platform, svc.name),
        "automountServiceAccountToken": False,
    }


def disruption_budget(platform: str, svc: ServiceSpec) -> Obj:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta(f"{platform}-{svc.name}", platform, svc.name, "api"),
        "spec": {
            "maxUnavailable": 1,
            "selector": {"matchLabels": selector(platform, svc.name, "api")},
        },
    }


def autoscaler(platform: str, svc: ServiceSpec) -> Obj:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta(f"{platform}-{svc.name}", platform, svc.name, "api"),
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": f"{platform}-{svc.name}",
            },
            "minReplicas": svc.replicas,
            "maxReplicas": svc.max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": svc.target_cpu},
                    },
                }
            ],
        },
    }


def for_service(platform: str, spec: PlatformSpec, svc: ServiceSpec) -> list[Obj]:
    """Everything one service needs, api first."""
    objs = [
        service_account(platform, svc),
        deployment(platform, spec, svc, "api"),
        service(platform, svc),
        disruption_budget(platform, svc),
        autoscaler(platform, svc),
    ]
    if BY_NAME[svc.name].web:
        name = web.config_name(platform, svc)
        objs.append(web.config_map(platform, svc, meta(name, platform, svc.name)))
    return objs + [deployment(platform, spec, svc, role) for role in svc.workers]
