"""The platform health page's figures, from each service's ops report (`/<service>/ops/health`)
and audit's log health (`/audit/health`): pure, so what the page says is tested apart from the
services. A service that did not answer is shown as such, never as healthy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SERVICES = ("identity", "membership", "documents", "messaging", "audit")


@dataclass(frozen=True)
class ServiceRow:
    service: str
    answered: bool
    ready: bool
    failing: tuple[str, ...]  # "kafka: KafkaException: ..." for each failing check
    relay_lag: int | None  # None: no relay (audit), or not answered


@dataclass(frozen=True)
class GroupRow:
    service: str
    group: str
    lag: int | None  # summed over its topics; None: Kafka did not say
    dead_letters: int | None
    waiting: int | None  # dead letters not yet replayed


@dataclass(frozen=True)
class OpaState:
    answering: tuple[str, ...]  # services whose readiness reached OPA
    failing: tuple[str, ...]  # services that could not, or did not answer at all

    @property
    def ok(self) -> bool:
        return not self.failing and bool(self.answering)


@dataclass(frozen=True)
class AuditTenantRow:
    tenant: str
    entries: int
    checkpoint_size: int
    checkpoint_signed_at: str | None
    tampered: bool


@dataclass(frozen=True)
class PlatformHealth:
    services: tuple[ServiceRow, ...]
    groups: tuple[GroupRow, ...]
    opa: OpaState
    audit_lag: int | None
    audit_tenants: tuple[AuditTenantRow, ...]
    audit_answered: bool


def platform_health(
    reports: Mapping[str, Mapping[str, Any] | None], audit: Mapping[str, Any] | None
) -> PlatformHealth:
    """The page's figures from the reports by service (None: it did not answer)."""
    services: list[ServiceRow] = []
    groups: list[GroupRow] = []
    answering: list[str] = []
    failing: list[str] = []
    for name in SERVICES:
        report = reports.get(name)
        if report is None:
            services.append(ServiceRow(name, False, False, (), None))
            failing.append(name)
            continue
        checks = report.get("checks") or {}
        bad = tuple(f"{c}: {r.get('detail', '')}" for c, r in checks.items() if not r.get("ok"))
        relay = report.get("relay")
        services.append(
            ServiceRow(name, True, bool(report.get("ready")), bad, relay["lag"] if relay else None)
        )
        opa = checks.get("opa")
        (answering if opa and opa.get("ok") else failing).append(name)
        for group in report.get("consumer_groups") or []:
            lag = group.get("lag")
            groups.append(
                GroupRow(
                    name,
                    str(group["group"]),
                    sum(lag.values()) if lag is not None else None,
                    group.get("dead_letters"),
                    group.get("waiting"),
                )
            )
    return PlatformHealth(
        tuple(services),
        tuple(groups),
        OpaState(tuple(answering), tuple(failing)),
        *_audit(audit),
    )


def _audit(audit: Mapping[str, Any] | None) -> tuple[int | None, tuple[AuditTenantRow, ...], bool]:
    if audit is None:
        return None, (), False
    lag = audit.get("lag")
    tampered = set(audit.get("tampered") or [])
    tenants = tuple(
        AuditTenantRow(
            tenant,
            int(row.get("entries", 0)),
            int(row.get("checkpoint_size", 0)),
            row.get("checkpoint_signed_at"),
            tenant in tampered,
        )
        for tenant, row in sorted((audit.get("tenants") or {}).items())
    )
    # A tampered tenant with no row of its own still shows, in red.
    missing = tuple(
        AuditTenantRow(t, 0, 0, None, True)
        for t in sorted(tampered)
        if t not in {r.tenant for r in tenants}
    )
    return (sum(lag.values()) if lag is not None else None), tenants + missing, True
