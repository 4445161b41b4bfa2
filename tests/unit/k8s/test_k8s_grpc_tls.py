"""Mutual TLS in Kubernetes: with `tls.issuerRef` every service that serves or calls gRPC gets a
cert-manager Certificate for its Service's name, and each of its pods mounts the Secret and is
told where the files are; the kubelet's liveness moves to REST (its gRPC probe has no TLS);
audit (called by people too) asks no client certificate; the portal gets none. Without
`tls`, nothing of it is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from snp_operator.render import render
from snp_operator.spec import parse
from snp_operator.versions import KUBERNETES_SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[3]
POLICY = {"authz.rego": "package snp.authz\n"}
SAMPLE = next(yaml.safe_load_all((ROOT / "deploy/k8s/samples/platform.yaml").read_text()))
ISSUER = {"name": "snp-ca", "kind": "ClusterIssuer"}
WITH_TLS = SAMPLE["spec"] | {"tls": {"issuerRef": ISSUER}}
CRD = yaml.safe_load((ROOT / "deploy/k8s/crds/platforms.yaml").read_text())


def _of(objs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


def test_each_grpc_service_gets_a_certificate_for_its_service_name() -> None:
    certificates = _of(render("snp", WITH_TLS, POLICY), "Certificate")
    services = [s for s in SAMPLE["spec"]["services"] if s != "portal"]
    assert sorted(certificates) == sorted(f"snp-{s}-grpc" for s in services)
    identity = certificates["snp-identity-grpc"]
    assert identity["apiVersion"] == "cert-manager.io/v1"
    assert identity["spec"]["secretName"] == "snp-identity-grpc-tls"
    assert identity["spec"]["dnsNames"] == ["snp-identity"]  # what SNP_IDENTITY_GRPC_TARGET says
    assert {"server auth", "client auth"} <= set(identity["spec"]["usages"])
    assert identity["spec"]["issuerRef"] == ISSUER | {"group": "cert-manager.io"}


def test_every_pod_of_a_grpc_service_mounts_its_certificate_and_is_told_where() -> None:
    deployments = _of(render("snp", WITH_TLS, POLICY), "Deployment")
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        env = {e["name"]: e.get("value") for e in container["env"]}
        service = deployment["metadata"]["labels"]["app.kubernetes.io/name"]
        if service in ("portal", "opa"):  # no gRPC of the platform's
            assert "SNP_GRPC_TLS_CERT_FILE" not in env, name
            continue
        assert {"name": "grpc-tls", "secret": {"secretName": f"snp-{service}-grpc-tls"}} in pod[
            "volumes"
        ]
        mount = {"name": "grpc-tls", "mountPath": "/var/run/snp/grpc-tls", "readOnly": True}
        assert mount in container["volumeMounts"]
        assert env["SNP_GRPC_TLS_CERT_FILE"] == "/var/run/snp/grpc-tls/tls.crt"
        assert env["SNP_GRPC_TLS_KEY_FILE"] == "/var/run/snp/grpc-tls/tls.key"
        assert env["SNP_GRPC_TLS_CA_FILE"] == "/var/run/snp/grpc-tls/ca.crt"
        assert env.get("SNP_GRPC_TLS_REQUIRE_CLIENT_CERT") == (
            "false" if service == "audit" else None
        )
        assert "grpc" not in container["livenessProbe"]
    api = deployments["snp-membership"]["spec"]["template"]["spec"]["containers"][0]
    assert api["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    for deployment in deployments.values():
        kubernetes_validate.validate(deployment, KUBERNETES_SCHEMA_VERSION, strict=True)


def test_without_tls_nothing_of_it_is_rendered() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    assert _of(objs, "Certificate") == {}
    assert "grpc-tls" not in yaml.safe_dump(objs)
    membership = _of(objs, "Deployment")["snp-membership"]["spec"]["template"]["spec"]
    assert membership["containers"][0]["livenessProbe"]["grpc"] == {"port": 50051}
    assert parse(SAMPLE["spec"] | {"tls": {"issuerRef": {"name": ""}}}).tls_issuer == {}


def test_the_platform_crd_accepts_the_issuer_it_renders_from() -> None:
    schema = CRD["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    issuer = schema["properties"]["tls"]["properties"]["issuerRef"]
    assert issuer["required"] == ["name"]
    assert issuer["properties"]["kind"]["enum"] == ["Issuer", "ClusterIssuer"]
