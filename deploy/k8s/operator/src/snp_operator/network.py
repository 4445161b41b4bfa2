"""NetworkPolicies: deny by default, then let each component reach only what it needs.

Every api takes REST from anywhere (an ingress fronts them) and gRPC only from the services that
call it (audit's from anywhere too: auditors stream exports over it); each process reaches DNS,
its PostgreSQL and Kafka (the peers in `spec.network`, a CIDR or selectors; without them, any
destination on their port, since they live in other operators' namespaces), OPA, identity's JWKS
and the gRPC of the services it calls. The portal reaches only DNS, its PostgreSQL and the REST
of the services it calls. OPA takes queries from the platform's pods and sends decision logs to
audit only.
"""

from __future__ import annotations

from typing import Any

from snp_operator.catalogue import BY_NAME, GRPC_PORT, HTTP_PORT, OPA_PORT
from snp_operator.spec import PlatformSpec, ServiceSpec
from snp_operator.workloads import meta, selector

Obj = dict[str, Any]
INSTANCE = "app.kubernetes.io/instance"


def _policy(name: str, platform: str, component: str, pods: Obj, rules: Obj) -> Obj:
    types = [kind for kind in ("Ingress", "Egress") if kind.lower() in rules] or [
        "Ingress",
        "Egress",
    ]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta(name, platform, component),
        "spec": {"podSelector": pods, "policyTypes": types} | rules,
    }


def _port(port: int, protocol: str = "TCP") -> Obj:
    return {"port": port, "protocol": protocol}


def _to(platform: str, component: str, port: int, role: str = "api") -> Obj:
    pods = {"matchLabels": selector(platform, component, role)}
    return {"to": [{"podSelector": pods}], "ports": [_port(port)]}


def _outside(port: int, peers: tuple[Obj, ...]) -> Obj:
    """Egress to a dependency outside the platform: its peers only, when the spec names them."""
    return (
        {"to": [dict(p) for p in peers], "ports": [_port(port)]}
        if peers
        else {"ports": [_port(port)]}
    )


def _egress(platform: str, spec: PlatformSpec, svc: ServiceSpec) -> list[Obj]:
    postgres = _outside(spec.postgres_port, spec.postgres_peers)
    if BY_NAME[svc.name].web:  # its database and the REST of the services it calls, no more
        called = [_to(platform, callee, HTTP_PORT) for callee in BY_NAME[svc.name].rest_calls]
        return [postgres, *called]
    rules = [
        postgres,
        _outside(spec.kafka_port, spec.kafka_peers),
        _to(platform, "opa", OPA_PORT, ""),
        _to(platform, "identity", HTTP_PORT),  # JWKS
    ]
    return rules + [_to(platform, callee, GRPC_PORT) for callee in BY_NAME[svc.name].calls]


def _scrapers(spec: PlatformSpec) -> Obj:
    namespace = {"kubernetes.io/metadata.name": spec.monitoring_namespace}
    return {
        "from": [{"namespaceSelector": {"matchLabels": namespace}}],
        "ports": [_port(HTTP_PORT)],
    }


def _callers(platform: str, spec: PlatformSpec, callee: str) -> list[Obj]:
    names = [s.name for s in spec.services if callee in BY_NAME[s.name].calls]
    if not names:
        return []
    pods = {
        "matchLabels": {INSTANCE: platform},
        "matchExpressions": [{"key": "app.kubernetes.io/name", "operator": "In", "values": names}],
    }
    return [{"from": [{"podSelector": pods}], "ports": [_port(GRPC_PORT)]}]


def render_network(platform: str, spec: PlatformSpec) -> list[Obj]:
    everyone = {"matchLabels": {INSTANCE: platform}}
    dns = {"ports": [_port(53, "UDP"), _port(53, "TCP")]}
    objs = [
        _policy(f"{platform}-default-deny", platform, "network", everyone, {}),
        _policy(f"{platform}-dns", platform, "network", everyone, {"egress": [dns]}),
    ]
    for svc in spec.services:
        api = {"matchLabels": selector(platform, svc.name, "api")}
        ingress: list[Obj] = [{"ports": [_port(HTTP_PORT)]}]
        if BY_NAME[svc.name].public_grpc:  # open to anyone: its callers need no rule of their own
            ingress.append({"ports": [_port(GRPC_PORT)]})
        else:
            ingress += _callers(platform, spec, svc.name)
        rules = {"ingress": ingress, "egress": _egress(platform, spec, svc)}
        objs.append(_policy(f"{platform}-{svc.name}", platform, svc.name, api, rules))
        if svc.workers:
            workers = {
                "matchLabels": selector(platform, svc.name),
                "matchExpressions": [
                    {
                        "key": "snp.saferneighbourhoods.org/role",
                        "operator": "In",
                        "values": sorted(svc.workers),
                    }
                ],
            }
            rules = {"egress": _egress(platform, spec, svc)}
            if spec.monitoring_enabled:  # Prometheus scrapes the workers' /metrics
                rules["ingress"] = [_scrapers(spec)]
            name = f"{platform}-{svc.name}-workers"
            objs.append(_policy(name, platform, svc.name, workers, rules))
    opa_rules = {
        "ingress": [{"from": [{"podSelector": everyone}], "ports": [_port(OPA_PORT)]}],
        "egress": [_to(platform, "audit", HTTP_PORT)],
    }
    opa_pods = {"matchLabels": selector(platform, "opa")}
    objs.append(_policy(f"{platform}-opa", platform, "opa", opa_pods, opa_rules))
    return objs
