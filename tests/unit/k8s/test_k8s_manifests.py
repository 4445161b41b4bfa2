"""The CRDs, the operator's manifests and the samples, checked offline: Kubernetes' schemas of
the pinned version for built-in kinds, the CRDs' own OpenAPI schemas for Platform and Tenant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from snp_operator.render import render
from snp_operator.versions import KUBERNETES_SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy/k8s"


def documents(*paths: Path) -> list[dict[str, Any]]:
    return [doc for path in paths for doc in yaml.safe_load_all(path.read_text()) if doc]


def crd_schema(kind: str) -> dict[str, Any]:
    for crd in documents(*sorted((K8S / "crds").glob("*.yaml"))):
        if crd["spec"]["names"]["kind"] == kind:
            return dict(crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"])
    raise LookupError(kind)


def check(obj: dict[str, Any]) -> None:
    """Custom kinds against their CRD, every other kind against Kubernetes' schemas."""
    if obj["apiVersion"].startswith("snp.saferneighbourhoods.org/"):
        jsonschema.validate(obj, crd_schema(obj["kind"]))
    else:
        kubernetes_validate.validate(obj, KUBERNETES_SCHEMA_VERSION, strict=True)


MANIFESTS = sorted(K8S.glob("crds/*.yaml")) + sorted(K8S.glob("operator/manifests/*.yaml"))
SAMPLES = sorted(K8S.glob("samples/*.yaml"))


@pytest.mark.parametrize("path", MANIFESTS + SAMPLES, ids=lambda p: str(p.relative_to(K8S)))
def test_manifests_are_valid(path: Path) -> None:
    for obj in documents(path):
        check(obj)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_platforms_render_valid_objects(path: Path) -> None:
    policy = {"authz.rego": "package snp.authz\n"}
    for platform in documents(path):
        if platform["kind"] == "Platform":
            for obj in render(platform["metadata"]["name"], platform["spec"], policy):
                check(obj)


@pytest.mark.parametrize(
    "change",
    [
        {"kafka": {}},  # no bootstrap
        {"kafka": {"bootstrap": "no-port"}},
        {"image": {"tag": "bad tag"}},
        {"services": {"identity": {"replicas": 2}}},  # no database
        {"services": {"identity": {"replicas": 0, "database": {"secretName": "x"}}}},
    ],
)
def test_the_platform_crd_refuses_bad_specs(change: dict[str, Any]) -> None:
    spec = {
        "kafka": {"bootstrap": "events:9092"},
        "keysSecret": "keys",
        "services": {"identity": {"database": {"secretName": "identity-db"}}},
    } | change
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"apiVersion": "x", "kind": "Platform", "spec": spec}, crd_schema("Platform")
        )
