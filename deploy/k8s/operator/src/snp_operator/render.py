"""`render`: a Platform's spec to the Kubernetes objects that run it. Pure: no API calls, no
clock; the handler adds namespace and owner references and applies the result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from snp_operator.certificates import with_grpc_tls
from snp_operator.monitoring import render_monitoring
from snp_operator.network import render_network
from snp_operator.opa import render_opa
from snp_operator.spec import parse
from snp_operator.workloads import for_service


def render(
    name: str, platform_spec: Mapping[str, Any], policy: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Every child of the Platform `name`: per service its ServiceAccount, Deployments (api and
    each worker role), Service, PDB and HPA; OPA with `policy` (file name -> text) in a
    ConfigMap; the NetworkPolicies; with `monitoring.enabled`, ServiceMonitors, alerts and
    dashboards; with `tls.issuerRef`, a gRPC Certificate per service, mounted in its pods.
    Child names start with `name`."""
    spec = parse(platform_spec)
    objs: list[dict[str, Any]] = []
    for svc in spec.services:
        objs += with_grpc_tls(name, spec, svc, for_service(name, spec, svc))
    objs += render_opa(name, spec, policy) + render_network(name, spec)
    return objs + render_monitoring(name, spec)
