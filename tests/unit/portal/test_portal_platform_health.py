"""The platform health page's figures from the services' reports: a silent service is never
healthy, OPA is judged from every service's own check, lags are summed, tampering shows."""

from __future__ import annotations

from typing import Any

from snp_portal.domain.platform_health import SERVICES, platform_health


def report(service: str, *, opa_ok: bool = True, relay_lag: int | None = 0) -> dict[str, Any]:
    checks = {
        "postgres": {"ok": True, "detail": "ok"},
        "opa": {"ok": opa_ok, "detail": "HTTP 200" if opa_ok else "ConnectError: refused"},
    }
    return {
        "service": service,
        "ready": opa_ok,
        "checks": checks,
        "relay": None
        if relay_lag is None
        else {"stored": 9, "published": 9 - relay_lag, "lag": relay_lag},
        "consumer_groups": [],
    }


def test_every_service_answering_and_ready() -> None:
    health = platform_health(
        {s: report(s) for s in SERVICES}, {"lag": {}, "tenants": {}, "tampered": []}
    )
    assert [r.service for r in health.services] == list(SERVICES)
    assert all(r.answered and r.ready and not r.failing for r in health.services)
    assert health.opa.ok and health.opa.answering == SERVICES
    assert health.audit_answered and health.audit_lag == 0


def test_a_silent_service_is_not_ready_and_counts_against_opa() -> None:
    reports: dict[str, Any] = {s: report(s) for s in SERVICES}
    reports["documents"] = None
    health = platform_health(reports, None)
    documents = next(r for r in health.services if r.service == "documents")
    assert (documents.answered, documents.ready, documents.relay_lag) == (False, False, None)
    assert not health.opa.ok and health.opa.failing == ("documents",)
    assert not health.audit_answered and health.audit_tenants == ()


def test_failing_checks_are_named_and_opa_is_judged_per_service() -> None:
    reports = {s: report(s) for s in SERVICES}
    reports["membership"] = report("membership", opa_ok=False, relay_lag=4)
    health = platform_health(reports, None)
    membership = next(r for r in health.services if r.service == "membership")
    assert not membership.ready and membership.failing == ("opa: ConnectError: refused",)
    assert membership.relay_lag == 4
    assert health.opa.failing == ("membership",) and "identity" in health.opa.answering


def test_group_lag_is_summed_over_topics_and_unknown_stays_unknown() -> None:
    reports: dict[str, Any] = {s: report(s) for s in SERVICES}
    reports["messaging"]["consumer_groups"] = [
        {
            "group": "messaging-projections",
            "lag": {"a": 2, "b": 3},
            "dead_letters": 4,
            "waiting": 1,
        },
        {
            "group": "slow",
            "lag": None,
            "dead_letters": None,
            "waiting": None,
            "error": "KafkaException",
        },
    ]
    health = platform_health(reports, None)
    assert [(g.group, g.lag, g.dead_letters, g.waiting) for g in health.groups] == [
        ("messaging-projections", 5, 4, 1),
        ("slow", None, None, None),
    ]


def test_a_tampered_tenant_is_marked_even_without_entries() -> None:
    audit = {
        "lag": {"snp.identity.events": 2, "snp.membership.events": 1},
        "tenants": {
            "met": {
                "entries": 10,
                "checkpoint_size": 8,
                "checkpoint_signed_at": "2026-01-01T00:00:00+00:00",
            },
            "city": {"entries": 3, "checkpoint_size": 3, "checkpoint_signed_at": None},
        },
        "tampered": ["met", "gone"],
    }
    health = platform_health({s: report(s) for s in SERVICES}, audit)
    assert health.audit_lag == 3
    assert [(t.tenant, t.tampered) for t in health.audit_tenants] == [
        ("city", False),
        ("met", True),
        ("gone", True),
    ]
