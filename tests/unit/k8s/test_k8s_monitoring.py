"""Monitoring: a ServiceMonitor per service (api and workers), the PrometheusRule's alerts and
the Grafana dashboards, only when asked for. Every metric an alert or panel reads is one the
services really export (their own registries, imported here), with the labels and label
values the code sets; promtool (Debian's `prometheus` package, installed by `make tools`) checks
the rules and every panel's query."""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml
from prometheus_client import REGISTRY

from snp_operator.monitoring import CONSUMER_GROUPS, dashboard_panels
from snp_operator.render import render
from snp_operator.versions import KUBERNETES_SCHEMA_VERSION
from snp_stack.toolbox import require

ROOT = Path(__file__).resolve().parents[3]
POLICY = {"authz.rego": "package snp.authz\n"}
SAMPLE = next(yaml.safe_load_all((ROOT / "deploy/k8s/samples/platform.yaml").read_text()))
MONITORED = SAMPLE["spec"] | {
    "monitoring": {"enabled": True, "prometheusNamespace": "obs", "labels": {"release": "kps"}}
}
# The modules that define the services' metrics (the HTTP ones come from the middleware).
EXPORTERS = (
    "snp_platform.relay",
    "snp_platform.consumer",
    "snp_platform.opa",
    "snp_messaging.service_layer.delivery",
    "snp_audit.service_layer.self_check",
    "snp_audit.service_layer.checkpoints",
    "snp_audit.service_layer.ingest",
)
# Metrics that come from outside the platform, and where from.
EXTERNAL = {"kafka_consumergroup_lag": "Strimzi's Kafka Exporter (Kafka.spec.kafkaExporter)"}


def of_kind(objs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


def exported() -> dict[str, tuple[str, ...]]:
    """Every metric name the services register (samples' names too: _total, _bucket), with
    its label names: the modules that define them, imported as the processes import them."""
    from snp_platform.metrics import HttpMetricsMiddleware

    for module in EXPORTERS:
        importlib.import_module(module)
    HttpMetricsMiddleware(app=None)  # type: ignore[arg-type]  # registers the HTTP metrics
    names = REGISTRY._names_to_collectors
    return {name: tuple(getattr(c, "_labelnames", ())) for name, c in names.items()}


def expressions(objs: list[dict[str, Any]]) -> list[str]:
    (rule,) = of_kind(objs, "PrometheusRule").values()
    alerts = [r["expr"] for g in rule["spec"]["groups"] for r in g["rules"]]
    return alerts + [expr for _, expr, _ in dashboard_panels("snp", "audit")]


def test_nothing_is_rendered_for_monitoring_unless_asked() -> None:
    objs = render("snp", SAMPLE["spec"], POLICY)
    assert not {"ServiceMonitor", "PrometheusRule"} & {o["kind"] for o in objs}
    assert "snp-dashboards" not in of_kind(objs, "ConfigMap")


def test_a_service_monitor_per_service_scrapes_its_api_and_its_workers() -> None:
    objs = render("snp", MONITORED, POLICY)
    monitors = of_kind(objs, "ServiceMonitor")
    assert set(monitors) == {f"snp-{s}" for s in SAMPLE["spec"]["services"] if s != "portal"}
    services = of_kind(objs, "Service")
    for name, monitor in monitors.items():
        assert monitor["metadata"]["labels"]["release"] == "kps"
        wanted = monitor["spec"]["selector"]["matchLabels"]
        selected = [
            s for s in services.values() if wanted.items() <= s["metadata"]["labels"].items()
        ]
        ports = {p["name"] for s in selected for p in s["spec"]["ports"]}
        assert {e["port"] for e in monitor["spec"]["endpoints"]} <= ports | {"metrics"}
        assert name in {s["metadata"]["name"] for s in selected}  # the api's Service
    workers = services["snp-messaging-workers"]["spec"]
    assert workers["clusterIP"] == "None" and workers["ports"][0]["targetPort"] == "health"
    assert "snp-portal-workers" not in services and "snp-audit-workers" in services
    # The workers' NetworkPolicy lets Prometheus's namespace in, on the metrics port only.
    policy = of_kind(objs, "NetworkPolicy")["snp-messaging-workers"]["spec"]
    assert policy["ingress"] == [
        {
            "from": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "obs"}}}
            ],
            "ports": [{"port": 8080, "protocol": "TCP"}],
        }
    ]
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    for obj in objs:
        if not obj["apiVersion"].startswith("monitoring.coreos.com/"):
            kubernetes_validate.validate(obj, KUBERNETES_SCHEMA_VERSION, strict=True)


def test_the_alerts_cover_the_runbook() -> None:
    (rule,) = of_kind(render("snp", MONITORED, POLICY), "PrometheusRule").values()
    alerts = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"]}
    assert set(alerts) == {
        "SnpRelayStalled",
        "SnpRelayLagging",
        "SnpConsumerLagging",
        "SnpDeadLetters",
        "SnpAuditTamperDetected",
        "SnpOpaFailures",
        "SnpHttp5xxRate",
        "SnpDeliveryFailures",
        "SnpAuditCheckpointStale",
    }
    runbook = (ROOT / "docs/runbook.md").read_text()
    for name, alert in alerts.items():
        assert f"## {name}" in runbook, name
        assert alert["annotations"]["runbook_url"] == f"docs/runbook.md#{name.lower()}"
        assert alert["labels"]["severity"] in {"warning", "critical"}


def test_every_metric_read_is_exported_with_those_labels() -> None:
    known = exported()
    for expr in expressions(render("snp", MONITORED, POLICY)):
        for metric, matchers in re.findall(r"([a-z_:]+)\{([^}]*)\}", expr):
            if metric in EXTERNAL:
                continue
            assert metric in known, f"{metric} is not exported by any service: {expr}"
            base = re.sub(r"_(total|bucket|count|sum)$", "", metric)
            labels = set(known.get(base, known[metric])) | {"snp_platform", "snp_service", "le"}
            used = {m.split("=")[0].strip() for m in matchers.split(",")}
            assert used <= labels, f"{metric} has no label {used - labels}"
        for by in re.findall(r"by \(([^)]*)\)", expr):
            grouped = {b.strip() for b in by.split(",")}
            assert grouped <= {
                "snp_service",
                "group",
                "outcome",
                "reason",
                "tenant",
                "route",
                "le",
                "consumergroup",
            }, expr


def test_label_values_the_alerts_match_are_ones_the_code_sets() -> None:
    from snp_messaging.domain.deliveries import Verdict
    from snp_platform.consumer import Outcome

    objs = render("snp", MONITORED, POLICY)
    text = "\n".join(expressions(objs))
    assert 'outcome="dead_lettered"' in text and Outcome.DEAD_LETTERED.value == "dead_lettered"
    assert 'outcome="failed"' in text and Verdict.FAILED.value == "failed"
    from snp_documents.entrypoints import consumer as documents
    from snp_membership.entrypoints import consumer as membership
    from snp_messaging.entrypoints import consumer as messaging

    groups = {membership.CONSUMER_GROUP, documents.CONSUMER_GROUP, messaging.CONSUMER_GROUP}
    assert groups | {"audit"} == set(CONSUMER_GROUPS)


def test_dashboards_are_configmaps_for_grafana_s_sidecar() -> None:
    import json

    dashboards = of_kind(render("snp", MONITORED, POLICY), "ConfigMap")["snp-dashboards"]
    assert dashboards["metadata"]["labels"]["grafana_dashboard"] == "1"
    files = dashboards["data"]
    assert set(files) == {"snp-platform.json"} | {
        f"snp-{s}.json" for s in SAMPLE["spec"]["services"] if s != "portal"
    }
    board = json.loads(files["snp-membership.json"])
    assert board["uid"] == "snp-snp-membership" and len(board["panels"]) == 8
    assert all('snp_service="membership"' in p["targets"][0]["expr"] for p in board["panels"])


def test_promtool_accepts_the_rules_and_every_panel_s_query(tmp_path: Path) -> None:
    # `make tools` installs it (Debian's prometheus package); a missing one fails here.
    promtool = str(require("promtool"))
    objs = render("snp", MONITORED, POLICY)
    (rule,) = of_kind(objs, "PrometheusRule").values()
    panels = [
        {"record": f"snp:panel_{n}", "expr": expr}
        for n, (_, expr, _) in enumerate(
            dashboard_panels("snp", None) + dashboard_panels("snp", "audit")
        )
    ]
    groups = rule["spec"]["groups"] + [{"name": "panels", "rules": panels}]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"groups": groups}))
    done = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout
