"""Egress to PostgreSQL and Kafka: only to the peers `spec.network` names (a CIDR, or namespace
and pod selectors), on their ports; without them, any destination on those ports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from snp_operator.render import render
from snp_operator.versions import KUBERNETES_SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = next(yaml.safe_load_all((ROOT / "deploy/k8s/samples/platform.yaml").read_text()))
POLICY = {"authz.rego": "package snp.authz\n"}
DATABASES = {"ipBlock": {"cidr": "10.20.0.0/24"}}
BROKERS = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kafka"}},
    "podSelector": {"matchLabels": {"strimzi.io/cluster": "events"}},
}


def spec(**network: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kafka": {"bootstrap": "events-kafka-bootstrap.kafka.svc:9093"},
        "keysSecret": "keys",
        "postgresPort": 6432,
        "services": {
            s: {"database": {"secretName": f"{s}-db"}} for s in ("identity", "audit", "portal")
        }
        | {"messaging": {"database": {"secretName": "m-db"}}},
    } | ({"network": network} if network else {})


def egress_by_port(objs: list[dict[str, Any]]) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """Per NetworkPolicy: port -> the `to` of each egress rule on it ([] for any destination)."""
    found: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for obj in objs:
        if obj["kind"] == "NetworkPolicy":
            for rule in obj["spec"].get("egress", []):
                for port in rule["ports"]:
                    to = found.setdefault(obj["metadata"]["name"], {}).setdefault(port["port"], [])
                    to.extend(rule.get("to", [{}]))
    return found


def test_postgres_and_kafka_egress_goes_only_to_the_configured_peers() -> None:
    objs = render("p", spec(postgres=[DATABASES], kafka=[BROKERS]), POLICY)
    for obj in objs:
        kubernetes_validate.validate(obj, KUBERNETES_SCHEMA_VERSION, strict=True)
    egress = egress_by_port(objs)
    for name in ("p-identity", "p-identity-workers", "p-messaging-workers", "p-audit", "p-portal"):
        assert egress[name][6432] == [DATABASES], name
    for name in ("p-identity", "p-identity-workers", "p-messaging", "p-audit-workers"):
        assert egress[name][9093] == [BROKERS], name
    assert 9093 not in egress["p-portal"]  # the portal never talks to Kafka
    # Nothing else anywhere opens those ports to any destination.
    assert all({} not in ports.get(port, []) for ports in egress.values() for port in (6432, 9093))


def test_several_peers_and_one_side_only() -> None:
    second = {"ipBlock": {"cidr": "10.30.0.0/16", "except": ["10.30.9.0/24"]}}
    objs = render("p", spec(postgres=[DATABASES, second]), POLICY)
    egress = egress_by_port(objs)
    assert egress["p-identity"][6432] == [DATABASES, second]
    assert egress["p-identity"][9093] == [{}]  # Kafka not configured: any destination, its port


def test_without_a_network_section_the_ports_stay_open_to_any_destination() -> None:
    egress = egress_by_port(render("p", spec(), POLICY))
    assert egress["p-identity"][6432] == [{}] and egress["p-identity"][9093] == [{}]


def test_the_sample_names_cloudnativepg_and_strimzi_pods() -> None:
    egress = egress_by_port(render("snp", SAMPLE["spec"], POLICY))
    (postgres,) = egress["snp-documents"][5432]
    assert postgres["podSelector"]["matchLabels"] == {"cnpg.io/podRole": "instance"}
    (kafka,) = egress["snp-documents"][9092]
    assert kafka["podSelector"]["matchLabels"]["strimzi.io/cluster"] == "events"


@pytest.mark.parametrize(
    "network",
    [
        {"postgres": [{}]},  # a peer that names nothing would allow everything
        {"postgres": [{"ipBlock": {"cidr": "10.0.0.0"}}]},  # not a CIDR
        {"kafka": [{"ipBlock": {}}]},
        {"kafka": [{"everywhere": True}]},
    ],
)
def test_the_crd_refuses_peers_that_are_not_peers(network: dict[str, Any]) -> None:
    from snp_operator.preview import SpecError, check, platform_schema

    platform = {
        "apiVersion": "snp.saferneighbourhoods.org/v1alpha1",
        "kind": "Platform",
        "metadata": {"name": "p"},
        "spec": spec() | {"network": network},
    }
    with pytest.raises(SpecError, match=r"spec\.network"):
        check(platform, platform_schema())
