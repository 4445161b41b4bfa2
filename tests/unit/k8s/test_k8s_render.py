"""`render`: what a Platform's spec becomes, each object checked against Kubernetes' schemas."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from snp_operator.render import render
from snp_operator.versions import KUBERNETES_SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[3]
POLICY = {p.name: p.read_text() for p in (ROOT / "policies").iterdir() if p.is_file()}
SAMPLE = next(yaml.safe_load_all((ROOT / "deploy/k8s/samples/platform.yaml").read_text()))
ALL = sorted(SAMPLE["spec"]["services"])


def minimal(*services: str) -> dict[str, Any]:
    return {
        "kafka": {"bootstrap": "events:9092"},
        "keysSecret": "keys",
        "services": {s: {"database": {"secretName": f"{s}-db"}} for s in services},
    }


def by_name(objs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


def test_every_object_is_valid_for_the_pinned_kubernetes() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    for obj in objs:
        kubernetes_validate.validate(obj, KUBERNETES_SCHEMA_VERSION, strict=True)
    names = [(o["kind"], o["metadata"]["name"]) for o in objs]
    assert len(names) == len(set(names))
    assert all(name.startswith("snp-") for _, name in names)


def test_each_service_gets_its_objects_and_its_workers_scale_separately() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    deployments = by_name(objs, "Deployment")
    assert set(deployments) == {
        "snp-opa",
        "snp-identity",
        "snp-identity-relay",
        "snp-messaging-worker",  # delivery workers scale apart from the consumer
        "snp-audit",
        "snp-audit-consumer",  # audit publishes no events: no relay
        "snp-portal",  # the portal holds only sessions: no relay, no consumer
        *(
            f"snp-{s}{r}"
            for s in ALL
            if s not in ("identity", "audit", "portal")
            for r in ("", "-relay", "-consumer")
        ),
    }
    for kind in ("Service", "ServiceAccount", "PodDisruptionBudget", "HorizontalPodAutoscaler"):
        assert {f"snp-{s}" for s in ALL} <= set(by_name(objs, kind))
    assert deployments["snp-messaging-consumer"]["spec"]["replicas"] == 3
    assert deployments["snp-messaging-worker"]["spec"]["replicas"] == 4
    worker = deployments["snp-messaging-worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["args"] == ["worker"]
    assert "replicas" not in deployments["snp-messaging"]["spec"]  # its HPA's field
    hpa = by_name(objs, "HorizontalPodAutoscaler")["snp-identity"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 6)


def test_only_listed_services_are_deployed() -> None:
    objs = render("p", minimal("identity"), POLICY)
    assert set(by_name(objs, "Deployment")) == {"p-identity", "p-identity-relay", "p-opa"}


def test_pods_are_hardened_and_probed() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    for dep in by_name(objs, "Deployment").values():
        pod = dep["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            ctx = container["securityContext"]
            assert ctx["readOnlyRootFilesystem"] is True
            assert ctx["allowPrivilegeEscalation"] is False
            assert ctx["capabilities"] == {"drop": ["ALL"]}
            assert container["resources"]["limits"]
    api = by_name(objs, "Deployment")["snp-documents"]["spec"]["template"]["spec"]["containers"][0]
    assert api["image"] == "ghcr.io/safer-neighbourhoods/documents:0.1.0"
    assert api["args"] == ["api"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert api["livenessProbe"]["grpc"]["port"] == 50051
    assert api["resources"]["limits"] == {"cpu": "2", "memory": "1Gi"}
    env = {e["name"]: e for e in api["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "documents-db-app",
        "key": "uri",
    }
    assert env["OPA_URL"]["value"] == "http://snp-opa:8181"
    assert "SNP_KEKS" not in env  # identity's keys stay with identity
    assert env["SNP_IDENTITY_GRPC_TARGET"]["value"] == "snp-identity:50051"
    assert env["SNP_MEMBERSHIP_GRPC_TARGET"]["value"] == "snp-membership:50051"
    assert "SNP_AUDIT_GRPC_TARGET" not in env  # documents calls only identity and membership
    assert env["SNP_DOCUMENT_KEKS"]["valueFrom"]["secretKeyRef"] == {
        "name": "snp-keys",
        "key": "document-keks",
    }
    identity = by_name(objs, "Deployment")["snp-identity"]["spec"]["template"]["spec"]
    assert "SNP_DOCUMENT_KEKS" not in {e["name"] for e in identity["containers"][0]["env"]}


def test_workers_answer_health_on_their_own_port_and_are_probed() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    workers = [
        d for n, d in by_name(objs, "Deployment").items() if n.endswith(("-relay", "-consumer"))
    ]
    assert workers
    for dep in workers:
        (container,) = dep["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["SNP_HEALTH_PORT"] == "8080"
        assert container["ports"] == [{"name": "health", "containerPort": 8080, "protocol": "TCP"}]
        for probe in ("livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"] == {"path": "/healthz", "port": "health"}


def test_opa_serves_the_policy_without_its_tests_and_logs_decisions_to_audit() -> None:
    objs = render("snp", minimal("identity", "audit"), POLICY)
    maps = by_name(objs, "ConfigMap")
    assert set(maps["snp-policy"]["data"]) == {"authz.rego", "matrix.json"}  # no tests, no docs
    config = yaml.safe_load(maps["snp-opa-config"]["data"]["config.yaml"])
    assert config["services"]["audit"]["url"] == "http://snp-audit:8080/audit"
    assert config["decision_logs"]["resource"] == "/decision-logs"
    # The token reaches OPA from the keys Secret by environment substitution, never in the map.
    assert config["services"]["audit"]["credentials"]["bearer"]["token"] == (
        "${SNP_DECISION_LOG_TOKEN}"
    )
    opa_env = by_name(objs, "Deployment")["snp-opa"]["spec"]["template"]["spec"]["containers"][0]
    token_ref = opa_env["env"][0]["valueFrom"]["secretKeyRef"]
    assert token_ref["key"] == "decision-log-token"
    audit_env = {
        e["name"]: e
        for e in by_name(objs, "Deployment")["snp-audit"]["spec"]["template"]["spec"]["containers"][
            0
        ]["env"]
    }
    assert audit_env["SNP_DECISION_LOG_TOKEN"]["valueFrom"]["secretKeyRef"] == token_ref
    assert audit_env["SNP_AUDIT_SIGNING_KEY"]["valueFrom"]["secretKeyRef"]["key"] == (
        "audit-checkpoint-key"
    )
    changed = render("snp", minimal("identity", "audit"), POLICY | {"authz.rego": "package x"})

    def digest(objs: list[dict[str, Any]]) -> str:
        template = by_name(objs, "Deployment")["snp-opa"]["spec"]["template"]
        return str(template["metadata"]["annotations"]["snp.saferneighbourhoods.org/policy-sha256"])

    assert digest(objs) != digest(changed)  # a policy change rolls OPA


def test_network_policies_deny_by_default_and_open_only_what_is_needed() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    policies = by_name(objs, "NetworkPolicy")
    deny = policies["snp-default-deny"]["spec"]
    assert deny["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny and "egress" not in deny
    identity = policies["snp-identity"]["spec"]
    grpc_from = identity["ingress"][1]["from"][0]["podSelector"]["matchExpressions"][0]["values"]
    assert sorted(grpc_from) == ["documents", "membership", "messaging"]
    assert identity["ingress"][1]["ports"] == [{"port": 50051, "protocol": "TCP"}]
    membership = policies["snp-membership"]["spec"]
    grpc_from = membership["ingress"][1]["from"][0]["podSelector"]["matchExpressions"][0]
    # identity asks which groups an account leads alone before it erases itself
    assert sorted(grpc_from["values"]) == ["documents", "identity", "messaging"]
    # ... and every service for its part of a resident's copy of their data (ExportSubject)
    for callee in ("documents", "messaging", "engagement"):
        rule = policies[f"snp-{callee}"]["spec"]["ingress"][1]
        assert "identity" in rule["from"][0]["podSelector"]["matchExpressions"][0]["values"]
    identity_out = [p["port"] for rule in identity["egress"] for p in rule["ports"]]
    assert 50051 in identity_out
    audit = policies["snp-audit"]["spec"]
    # REST, and gRPC from anywhere: auditors (people, not services) stream exports over it.
    assert audit["ingress"] == [
        {"ports": [{"port": 8080, "protocol": "TCP"}]},
        {"ports": [{"port": 50051, "protocol": "TCP"}]},
    ]
    egress_ports = [p["port"] for rule in audit["egress"] for p in rule["ports"]]
    assert 5432 in egress_ports and 9092 in egress_ports and 50051 not in egress_ports
    opa = policies["snp-opa"]["spec"]
    assert opa["egress"][0]["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == (
        "audit"
    )


def test_the_portal_is_rendered_as_a_web_front_with_its_config() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    for kind in ("Deployment", "Service", "ServiceAccount", "ConfigMap"):
        assert "snp-portal" in by_name(objs, kind), kind
    assert by_name(objs, "HorizontalPodAutoscaler")["snp-portal"]["spec"]["minReplicas"] == 2
    config = by_name(objs, "ConfigMap")["snp-portal"]["data"]
    assert config == {
        "SNP_IDENTITY_BASE_URL": "http://snp-identity:8080",
        "SNP_MEMBERSHIP_BASE_URL": "http://snp-membership:8080",
        "SNP_DOCUMENTS_BASE_URL": "http://snp-documents:8080",
        "SNP_MESSAGING_BASE_URL": "http://snp-messaging:8080",
        "SNP_AUDIT_BASE_URL": "http://snp-audit:8080",
        "SNP_ENGAGEMENT_BASE_URL": "http://snp-engagement:8080",
        "SNP_COOKIE_SECURE": "true",
    }
    pod = by_name(objs, "Deployment")["snp-portal"]["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    assert container["args"] == ["api"]
    assert container["image"] == "ghcr.io/safer-neighbourhoods/portal:0.1.0"
    assert container["envFrom"] == [{"configMapRef": {"name": "snp-portal"}}]
    env = {e["name"]: e for e in container["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "portal-db-app",
        "key": "uri",
    }
    assert env["SNP_PORTAL_SESSION_KEYS"]["valueFrom"]["secretKeyRef"] == {
        "name": "snp-keys",
        "key": "portal-session-keys",
    }
    # None of the platform's keys, no Kafka, no OPA: it calls the services as the user.
    assert not {"SNP_SERVICE_SIGNING_KEY", "KAFKA_BOOTSTRAP", "OPA_URL", "SNP_KEKS"} & set(env)
    assert container["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
    service = by_name(objs, "Service")["snp-portal"]["spec"]
    assert [p["name"] for p in service["ports"]] == ["http"]
    network = by_name(objs, "NetworkPolicy")["snp-portal"]["spec"]
    assert network["ingress"] == [{"ports": [{"port": 8080, "protocol": "TCP"}]}]
    reached = [
        r["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
        for r in network["egress"]
        if r["ports"] == [{"port": 8080, "protocol": "TCP"}]
    ]
    assert reached == ["identity", "membership", "documents", "messaging", "audit", "engagement"]
    # Besides those, only its PostgreSQL (test_k8s_egress.py: only where spec.network says).
    assert [r["ports"] for r in network["egress"] if r["ports"][0]["port"] != 8080] == [
        [{"port": 5432, "protocol": "TCP"}]
    ]
    # A changed base URL rolls the pods (envFrom alone would not).
    elsewhere = render("other", SAMPLE["spec"], POLICY)
    hash_key = "snp.saferneighbourhoods.org/config-hash"
    other_pod = by_name(elsewhere, "Deployment")["other-portal"]["spec"]["template"]
    assert (
        pod["metadata"]["annotations"][hash_key] != other_pod["metadata"]["annotations"][hash_key]
    )


def test_render_is_pure() -> None:
    spec = copy.deepcopy(SAMPLE["spec"])
    first = render("snp", spec, POLICY)
    assert spec == SAMPLE["spec"]
    assert render("snp", spec, POLICY) == first


@pytest.mark.parametrize("tag", ["0.1.0", "2026-11-21.abc123"])
def test_changing_the_tag_changes_only_images(tag: str) -> None:
    spec = minimal("identity") | {"image": {"tag": tag}}
    images = {
        c["image"]
        for d in by_name(render("p", spec, POLICY), "Deployment").values()
        for c in d["spec"]["template"]["spec"]["containers"]
        if "opa" not in c["image"]
    }
    assert images == {f"ghcr.io/safer-neighbourhoods/identity:{tag}"}


def test_messaging_s_mail_links_point_at_the_portal_url() -> None:
    def env_of(spec: dict[str, Any], name: str) -> dict[str, Any]:
        deployments = by_name(render("snp", spec, POLICY), "Deployment")
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        return {e["name"]: e.get("value") for e in container["env"]}

    assert env_of(SAMPLE["spec"], "snp-messaging-consumer")["SNP_PORTAL_BASE_URL"] == (
        "https://portal.saferneighbourhoods.example"
    )
    assert "SNP_PORTAL_BASE_URL" in env_of(SAMPLE["spec"], "snp-messaging-worker")
    assert "SNP_PORTAL_BASE_URL" not in env_of(SAMPLE["spec"], "snp-documents")
    assert "SNP_PORTAL_BASE_URL" not in env_of(minimal("messaging"), "snp-messaging")


def test_trusted_proxies_reach_every_api_and_the_portal_and_nothing_else_believes_them() -> None:
    def env_of(spec: dict[str, Any], name: str) -> dict[str, Any]:
        deployments = by_name(render("snp", spec, POLICY), "Deployment")
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        return {e["name"]: e.get("value") for e in container["env"]}

    spec = SAMPLE["spec"] | {"trustedProxies": ["10.0.0.0/8", "192.168.4.7"]}
    for name in ("snp-identity", "snp-membership", "snp-portal"):
        assert env_of(spec, name)["SNP_FORWARDED_ALLOW_IPS"] == "10.0.0.0/8,192.168.4.7"
    without = SAMPLE["spec"] | {"trustedProxies": []}
    assert "SNP_FORWARDED_ALLOW_IPS" not in env_of(without, "snp-identity")
    assert "SNP_FORWARDED_ALLOW_IPS" not in env_of(without, "snp-portal")


def test_engagement_is_rendered_with_its_own_database_and_no_grpc_callees() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    deployments = by_name(objs, "Deployment")
    for name in ("snp-engagement", "snp-engagement-relay", "snp-engagement-consumer"):
        assert name in deployments, name
    api = deployments["snp-engagement"]["spec"]["template"]["spec"]["containers"][0]
    assert api["image"] == "ghcr.io/safer-neighbourhoods/engagement:0.1.0"
    env = {e["name"]: e for e in api["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "engagement-db-app",
        "key": "uri",
    }
    assert env["SNP_SERVICE_SIGNING_KEY"]["valueFrom"]["secretKeyRef"]["key"] == (
        "engagement-signing-key"
    )
    # It asks no service over gRPC (ward panels and officers come from membership's events),
    # and holds none of identity's or documents' keys.
    assert not [name for name in env if name.endswith("_GRPC_TARGET")]
    assert not {"SNP_KEKS", "SNP_DOCUMENT_KEKS", "SNP_BLIND_INDEX_KEY"} & set(env)
    relay = deployments["snp-engagement-relay"]["spec"]["template"]["spec"]["containers"][0]
    assert relay["args"] == ["relay"]
