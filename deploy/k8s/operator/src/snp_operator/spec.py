"""The Platform resource's spec as typed values, defaults filled in (the CRD validates shape)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snp_operator import versions
from snp_operator.catalogue import SERVICES

_DEFAULT_RESOURCES: dict[str, Any] = {
    "requests": {"cpu": "100m", "memory": "256Mi"},
    "limits": {"cpu": "1", "memory": "512Mi"},
}


@dataclass(frozen=True)
class ServiceSpec:
    """One service's settings: sizes of the api and its workers, its database Secret."""

    name: str
    replicas: int
    max_replicas: int
    target_cpu: int
    resources: dict[str, Any]
    database_secret: str
    database_secret_key: str
    workers: dict[str, int]  # role -> replicas
    image: str = ""  # a full reference overriding <registry>/<name>:<tag> (skaffold sets it)


@dataclass(frozen=True)
class PlatformSpec:
    image_registry: str
    image_tag: str
    pull_policy: str
    kafka_bootstrap: str
    kafka_secret: str
    postgres_port: int
    opa_image: str
    opa_replicas: int
    keys_secret: str
    log_level: str
    portal_url: str = ""
    # Addresses or CIDRs of the proxies whose X-Forwarded-For is believed (the ingress
    # controller's, and the pod network's for the portal): identity throttles by that address.
    trusted_proxies: tuple[str, ...] = ()
    services: tuple[ServiceSpec, ...] = field(default_factory=tuple)
    # NetworkPolicy peers (ipBlock, namespaceSelector, podSelector) where PostgreSQL and Kafka
    # are; empty: any destination on their port.
    postgres_peers: tuple[dict[str, Any], ...] = ()
    kafka_peers: tuple[dict[str, Any], ...] = ()
    # ServiceMonitors, PrometheusRule and dashboards (needs the Prometheus Operator's CRDs);
    # Prometheus scrapes the workers from pods in `monitoring_namespace`.
    monitoring_enabled: bool = False
    monitoring_namespace: str = "monitoring"
    monitoring_labels: dict[str, str] = field(default_factory=dict)
    # cert-manager's issuer of the services' gRPC certificates ({name, kind, group}); empty:
    # no mutual TLS (gRPC stays plain inside the namespace, behind the NetworkPolicies).
    tls_issuer: dict[str, str] = field(default_factory=dict)

    def image(self, service: ServiceSpec) -> str:
        return service.image or f"{self.image_registry}/{service.name}:{self.image_tag}"

    @property
    def kafka_port(self) -> int:
        return int(self.kafka_bootstrap.split(",")[0].rsplit(":", 1)[1])


def _service(name: str, raw: Mapping[str, Any], workers: tuple[str, ...]) -> ServiceSpec:
    replicas = int(raw.get("replicas", 2))
    database = raw["database"]
    worker_replicas = raw.get("workers", {})
    return ServiceSpec(
        name=name,
        replicas=replicas,
        max_replicas=int(raw.get("maxReplicas", max(replicas, 4))),
        target_cpu=int(raw.get("targetCPUUtilizationPercentage", 75)),
        resources=dict(raw.get("resources") or _DEFAULT_RESOURCES),
        database_secret=str(database["secretName"]),
        database_secret_key=str(database.get("key", "uri")),
        workers={role: int(worker_replicas.get(role, 1)) for role in workers},
        image=str(raw.get("image", "")),
    )


def parse(raw: Mapping[str, Any]) -> PlatformSpec:
    """The spec with defaults; services absent from `spec.services` are not deployed."""
    image, kafka, opa = raw.get("image", {}), raw["kafka"], raw.get("opa", {})
    chosen, network = raw.get("services", {}), raw.get("network", {})
    monitoring = raw.get("monitoring", {})
    issuer = (raw.get("tls") or {}).get("issuerRef") or {}
    return PlatformSpec(
        image_registry=str(image.get("registry", "ghcr.io/safer-neighbourhoods")),
        image_tag=str(image.get("tag", "latest")),
        pull_policy=str(image.get("pullPolicy", "IfNotPresent")),
        kafka_bootstrap=str(kafka["bootstrap"]),
        kafka_secret=str(kafka.get("credentialsSecret", "")),
        postgres_port=int(raw.get("postgresPort", 5432)),
        opa_image=str(opa.get("image", versions.OPA_IMAGE)),
        opa_replicas=int(opa.get("replicas", 2)),
        keys_secret=str(raw["keysSecret"]),
        log_level=str(raw.get("logLevel", "INFO")),
        portal_url=str(raw.get("portalUrl", "")),
        trusted_proxies=tuple(str(p) for p in raw.get("trustedProxies", ())),
        postgres_peers=tuple(dict(peer) for peer in network.get("postgres", ())),
        kafka_peers=tuple(dict(peer) for peer in network.get("kafka", ())),
        monitoring_enabled=bool(monitoring.get("enabled", False)),
        monitoring_namespace=str(monitoring.get("prometheusNamespace", "monitoring")),
        monitoring_labels={str(k): str(v) for k, v in (monitoring.get("labels") or {}).items()},
        tls_issuer=(
            {
                "name": str(issuer["name"]),
                "kind": str(issuer.get("kind", "Issuer")),
                "group": str(issuer.get("group", "cert-manager.io")),
            }
            if issuer.get("name")
            else {}
        ),
        services=tuple(
            _service(s.name, chosen[s.name], s.workers) for s in SERVICES if s.name in chosen
        ),
    )
