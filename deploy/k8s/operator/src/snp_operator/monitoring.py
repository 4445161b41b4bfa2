"""Monitoring in the council's own Prometheus Operator and Grafana (rendered only when
`spec.monitoring.enabled`, since the ServiceMonitor and PrometheusRule kinds need their CRDs):

- a ServiceMonitor per service scraping `/metrics` of its api (Service port `http`) and of its
  workers (a headless Service `<platform>-<service>-workers`, port `metrics`); every series gets
  the labels `snp_platform` and `snp_service`;
- a PrometheusRule with the alerts of docs/runbook.md, on the metric names the services export
  (tests/unit/k8s/test_k8s_monitoring.py checks them against the real exporters), and consumer
  lag from Strimzi's Kafka Exporter (`kafka_consumergroup_lag`);
- Grafana dashboards as ConfigMaps labelled for Grafana's dashboard sidecar.
The portal serves no `/metrics`, so it gets no ServiceMonitor.
"""

from __future__ import annotations

import json
from typing import Any

from snp_operator.catalogue import BY_NAME, HTTP_PORT
from snp_operator.spec import PlatformSpec, ServiceSpec
from snp_operator.workloads import meta, selector

Obj = dict[str, Any]
MONITORING = "monitoring.coreos.com/v1"
# The consumer groups of the services' consumers (entrypoints/consumer.py; audit's default).
CONSUMER_GROUPS = ("membership-identity", "documents.group-roles", "messaging-projections", "audit")


def scraped(spec: PlatformSpec) -> list[ServiceSpec]:
    return [s for s in spec.services if not BY_NAME[s.name].web]


def _workers_service(platform: str, svc: ServiceSpec) -> Obj:
    # Workers serve /metrics on their `health` port; a Service may only select by equality, and
    # only pods with a port named `health` (the workers, not the api) become its endpoints.
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(f"{platform}-{svc.name}-workers", platform, svc.name),
        "spec": {
            "clusterIP": "None",
            "selector": selector(platform, svc.name),
            "ports": [
                {"name": "metrics", "port": HTTP_PORT, "targetPort": "health", "protocol": "TCP"}
            ],
        },
    }


def _service_monitor(platform: str, spec: PlatformSpec, svc: ServiceSpec) -> Obj:
    relabel = [
        {"targetLabel": "snp_platform", "replacement": platform, "action": "replace"},
        {"targetLabel": "snp_service", "replacement": svc.name, "action": "replace"},
    ]
    endpoints = [
        {"port": port, "path": "/metrics", "interval": "30s", "relabelings": relabel}
        for port in ("http", "metrics")
    ]
    metadata = meta(f"{platform}-{svc.name}", platform, svc.name)
    metadata["labels"] |= spec.monitoring_labels
    return {
        "apiVersion": MONITORING,
        "kind": "ServiceMonitor",
        "metadata": metadata,
        "spec": {
            "selector": {"matchLabels": selector(platform, svc.name)},
            "endpoints": endpoints,
        },
    }


def alerts(platform: str) -> list[Obj]:
    """The alerting rules; each `runbook_url` points at its section of docs/runbook.md."""
    p = f'snp_platform="{platform}"'
    groups = "|".join(g.replace(".", "\\\\.") for g in CONSUMER_GROUPS)

    def rule(name: str, expr: str, wait: str, severity: str, summary: str) -> Obj:
        return {
            "alert": name,
            "expr": expr,
            "for": wait,
            "labels": {"severity": severity, "snp_platform": platform},
            "annotations": {
                "summary": summary,
                "runbook_url": f"docs/runbook.md#{name.lower()}",
            },
        }

    return [
        rule(
            "SnpRelayStalled",
            f"sum by (snp_service) (increase(snp_relay_failures_total{{{p}}}[10m])) > 0"
            f" and sum by (snp_service) (increase(snp_relay_events_total{{{p}}}[10m])) == 0",
            "5m",
            "critical",
            "{{ $labels.snp_service }}'s relay has published nothing for 10 minutes while the "
            "broker refuses its deliveries: its events are not reaching Kafka",
        ),
        rule(
            "SnpRelayLagging",
            f"max by (snp_service) (snp_relay_lag_events{{{p}}}) > 1000",
            "10m",
            "warning",
            "{{ $labels.snp_service }}'s relay is {{ $value }} events behind its store: other "
            "services and audit see its changes late",
        ),
        rule(
            "SnpConsumerLagging",
            f'sum by (consumergroup) (kafka_consumergroup_lag{{consumergroup=~"{groups}"}}) > 1000',
            "10m",
            "warning",
            "consumer group {{ $labels.consumergroup }} is {{ $value }} messages behind",
        ),
        rule(
            "SnpDeadLetters",
            "sum by (snp_service, group) (increase(snp_consumer_messages_total"
            f'{{{p},outcome="dead_lettered"}}[15m])) > 0',
            "0m",
            "warning",
            "consumer group {{ $labels.group }} dead-lettered {{ $value }} messages",
        ),
        rule(
            "SnpAuditTamperDetected",
            f"max by (tenant) (snp_audit_tamper_detected{{{p}}}) > 0",
            "0m",
            "critical",
            "the audit log of tenant {{ $labels.tenant }} fails its own verification",
        ),
        rule(
            "SnpOpaFailures",
            f"sum by (snp_service, reason) (rate(snp_opa_failures_total{{{p}}}[5m])) > 0",
            "2m",
            "critical",
            "{{ $labels.snp_service }} cannot get answers from OPA ({{ $labels.reason }}): "
            "it refuses every protected action",
        ),
        rule(
            "SnpHttp5xxRate",
            f'sum by (snp_service) (rate(snp_http_requests_total{{{p},status=~"5.."}}[5m]))'
            f" / sum by (snp_service) (rate(snp_http_requests_total{{{p}}}[5m])) > 0.02",
            "5m",
            "warning",
            "more than 2% of {{ $labels.snp_service }}'s requests end in a 5xx",
        ),
        rule(
            "SnpDeliveryFailures",
            "sum (increase(snp_messaging_delivery_attempts_total"
            f'{{{p},outcome="failed"}}[15m])) > 0',
            "0m",
            "warning",
            "{{ $value }} message deliveries failed for good in 15 minutes",
        ),
        rule(
            "SnpAuditCheckpointStale",
            f"(time() - max(snp_audit_last_checkpoint_timestamp_seconds{{{p}}}) > 300)"
            f" and on () (sum(increase(snp_audit_ingested_total{{{p}}}[5m])) > 0)",
            "2m",
            "critical",
            "the audit log grows but no checkpoint has been signed for 5 minutes",
        ),
    ]


def _rule(platform: str, spec: PlatformSpec) -> Obj:
    metadata = meta(f"{platform}-alerts", platform, "monitoring")
    metadata["labels"] |= spec.monitoring_labels
    return {
        "apiVersion": MONITORING,
        "kind": "PrometheusRule",
        "metadata": metadata,
        "spec": {"groups": [{"name": f"{platform}.snp", "rules": alerts(platform)}]},
    }


def _panel(n: int, title: str, expr: str, legend: str) -> Obj:
    return {
        "id": n,
        "type": "timeseries",
        "title": title,
        "gridPos": {"h": 8, "w": 12, "x": 12 * (n % 2), "y": 8 * (n // 2)},
        "targets": [{"refId": "A", "expr": expr, "legendFormat": legend}],
    }


def dashboard_panels(platform: str, service: str | None) -> list[tuple[str, str, str]]:
    """(title, PromQL, legend) of a dashboard: the platform's, or one service's."""
    sel = f'snp_platform="{platform}"' + (f',snp_service="{service}"' if service else "")
    by = "route" if service else "snp_service"
    return [
        ("Requests per second", f"sum by ({by}) (rate(snp_http_requests_total{{{sel}}}[5m]))", ""),
        (
            "5xx per second",
            f'sum by ({by}) (rate(snp_http_requests_total{{{sel},status=~"5.."}}[5m]))',
            "",
        ),
        (
            "Request latency p95 (s)",
            f"histogram_quantile(0.95, sum by ({by}, le) "
            f"(rate(snp_http_request_duration_seconds_bucket{{{sel}}}[5m])))",
            "",
        ),
        (
            "Events relayed per second",
            f"sum by (snp_service) (rate(snp_relay_events_total{{{sel}}}[5m]))",
            "",
        ),
        (
            "Consumer messages by outcome",
            f"sum by (group, outcome) (rate(snp_consumer_messages_total{{{sel}}}[5m]))",
            "{{group}} {{outcome}}",
        ),
        (
            "OPA decision latency p95 (s)",
            "histogram_quantile(0.95, sum by (le) "
            f"(rate(snp_opa_decision_seconds_bucket{{{sel}}}[5m])))",
            "p95",
        ),
        (
            "OPA failures per second",
            f"sum by (reason) (rate(snp_opa_failures_total{{{sel}}}[5m]))",
            "",
        ),
        (
            "Deliveries by outcome",
            f"sum by (outcome) (rate(snp_messaging_delivery_attempts_total{{{sel}}}[5m]))",
            "{{outcome}}",
        ),
    ]


def _dashboard(platform: str, service: str | None) -> str:
    title = f"Safer Neighbourhoods {platform}" + (f" / {service}" if service else "")
    panels = [
        _panel(n, title_, expr, legend)
        for n, (title_, expr, legend) in enumerate(dashboard_panels(platform, service))
    ]
    uid = f"snp-{platform}-{service or 'platform'}"[:40]
    body = {"uid": uid, "title": title, "schemaVersion": 39, "panels": panels, "tags": ["snp"]}
    return json.dumps(body, indent=1, sort_keys=True)


def _dashboards(platform: str, spec: PlatformSpec) -> Obj:
    metadata = meta(f"{platform}-dashboards", platform, "monitoring")
    metadata["labels"]["grafana_dashboard"] = "1"  # what Grafana's sidecar looks for
    data = {f"{platform}-platform.json": _dashboard(platform, None)}
    data |= {f"{platform}-{s.name}.json": _dashboard(platform, s.name) for s in scraped(spec)}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}


def render_monitoring(platform: str, spec: PlatformSpec) -> list[Obj]:
    if not spec.monitoring_enabled:
        return []
    objs: list[Obj] = []
    for svc in scraped(spec):
        if svc.workers:
            objs.append(_workers_service(platform, svc))
        objs.append(_service_monitor(platform, spec, svc))
    return [*objs, _rule(platform, spec), _dashboards(platform, spec)]
