"""Mutual TLS for the services' gRPC (rendered only with `spec.tls.issuerRef`, since the
Certificate kind needs cert-manager's CRDs): a Certificate per service that serves or calls gRPC,
issued by the Platform's issuer, whose Secret (`tls.crt`, `tls.key`, `ca.crt`) every pod of the
service mounts. snp_platform.grpc_tls reads the files: servers then require a client certificate
from the same CA, and clients check the server's name and CA. Audit's gRPC is also called by
people through the ingress (auditors' tools): it serves TLS without requiring a client
certificate, and those calls carry the caller's bearer token as every other call does.
"""

from __future__ import annotations

from typing import Any

from snp_operator.catalogue import BY_NAME
from snp_operator.spec import PlatformSpec, ServiceSpec
from snp_operator.workloads import meta

Obj = dict[str, Any]
CERT_MANAGER = "cert-manager.io/v1"
MOUNT = "/var/run/snp/grpc-tls"
VOLUME = "grpc-tls"


def secret_name(platform: str, svc: ServiceSpec) -> str:
    return f"{platform}-{svc.name}-grpc-tls"


def uses_tls(spec: PlatformSpec, svc: ServiceSpec) -> bool:
    return bool(spec.tls_issuer) and not BY_NAME[svc.name].web


def certificate(platform: str, spec: PlatformSpec, svc: ServiceSpec) -> Obj:
    host = f"{platform}-{svc.name}"  # the Service's name: what the callers' targets say
    return {
        "apiVersion": CERT_MANAGER,
        "kind": "Certificate",
        "metadata": meta(f"{host}-grpc", platform, svc.name),
        "spec": {
            "secretName": secret_name(platform, svc),
            "dnsNames": [host],
            "duration": "2160h",  # 90 days, renewed 15 days before: cert-manager's defaults
            "renewBefore": "360h",
            "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
            "usages": ["server auth", "client auth", "digital signature"],
            "issuerRef": dict(spec.tls_issuer),
        },
    }


def _pod_environment(svc: ServiceSpec) -> list[Obj]:
    env = [
        {"name": "SNP_GRPC_TLS_CERT_FILE", "value": f"{MOUNT}/tls.crt"},
        {"name": "SNP_GRPC_TLS_KEY_FILE", "value": f"{MOUNT}/tls.key"},
        {"name": "SNP_GRPC_TLS_CA_FILE", "value": f"{MOUNT}/ca.crt"},
    ]
    if BY_NAME[svc.name].public_grpc:
        env.append({"name": "SNP_GRPC_TLS_REQUIRE_CLIENT_CERT", "value": "false"})
    return env


def with_grpc_tls(
    platform: str, spec: PlatformSpec, svc: ServiceSpec, objs: list[Obj]
) -> list[Obj]:
    """The service's objects, its pods given the certificate (and the Certificate itself) when
    the Platform asks for mutual TLS; unchanged otherwise."""
    if not uses_tls(spec, svc):
        return objs
    for obj in objs:
        if obj["kind"] == "Deployment":
            _mount(platform, svc, obj["spec"]["template"]["spec"])
    return [*objs, certificate(platform, spec, svc)]


def _mount(platform: str, svc: ServiceSpec, pod: Obj) -> None:
    pod["volumes"].append({"name": VOLUME, "secret": {"secretName": secret_name(platform, svc)}})
    for container in pod["containers"]:
        container["volumeMounts"].append({"name": VOLUME, "mountPath": MOUNT, "readOnly": True})
        container["env"] = [*container["env"], *_pod_environment(svc)]
        liveness = container.get("livenessProbe", {})
        if "grpc" in liveness:
            # The kubelet's gRPC probe speaks no TLS: the api's REST liveness answers instead.
            liveness.pop("grpc")
            liveness["httpGet"] = {"path": "/healthz", "port": "http"}
