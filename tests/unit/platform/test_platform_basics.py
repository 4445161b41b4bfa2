"""Settings, logging, tenancy and readiness checks: the small pieces, without infrastructure."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from pydantic import ValidationError

from snp_platform.health import opa_check, postgres_check, run_checks
from snp_platform.logging import configure_logging, get_logger
from snp_platform.metrics import counter, gauge
from snp_platform.settings import ServiceSettings, load_settings
from snp_platform.tenancy import (
    NoTenantContext,
    TenantMismatch,
    current_tenant,
    current_tenant_or_none,
    ensure_same_tenant,
    tenant_context,
)


class IdentitySettings(ServiceSettings):
    service_name: str = "identity"
    argon2_memory_kib: int = 19456


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_settings_read_the_environment_when_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://127.0.0.1:5432/identity")
    monkeypatch.setenv("KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    monkeypatch.setenv("OPA_URL", "http://127.0.0.1:18181")
    monkeypatch.setenv("SNP_HTTP_PORT", "8101")
    monkeypatch.setenv("SNP_GRPC_PORT", "50101")
    monkeypatch.setenv("SNP_JWKS_URL", "http://127.0.0.1:8101/identity/.well-known/jwks.json")
    monkeypatch.setenv("SNP_SERVICE_TRUSTED_KEYS", '{"messaging": "abc"}')
    monkeypatch.setenv("SNP_ARGON2_MEMORY_KIB", "65536")
    settings = load_settings(IdentitySettings)
    assert settings.database_url.endswith("/identity")
    assert settings.kafka_bootstrap == "127.0.0.1:19092"
    assert settings.opa_url == "http://127.0.0.1:18181"
    assert (settings.http_host, settings.http_port, settings.grpc_port) == (
        "127.0.0.1",
        8101,
        50101,
    )
    assert settings.jwks_url.endswith("jwks.json")
    assert settings.service_trusted_keys == {"messaging": "abc"}
    assert settings.argon2_memory_kib == 65536
    assert settings.api_prefix == "/identity"
    assert load_settings(IdentitySettings, http_port=9000).http_port == 9000


def test_settings_reject_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SNP_HTTP_PORT", "not-a-port")
    with pytest.raises(ValidationError):
        load_settings(ServiceSettings)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers, root.level = handlers, level
    structlog.reset_defaults()


@pytest.mark.usefixtures("restore_logging")
def test_logs_are_json_lines_with_the_request_context(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("membership", "INFO")
    structlog.contextvars.bind_contextvars(
        correlation_id="c-1", trace_id="t" * 32, span_id="s" * 16, tenant="met"
    )
    try:
        get_logger("test").info("group created", group_id="g-1")
        logging.getLogger("stdlib.lib").warning("from %s", "stdlib")
        get_logger("test").debug("hidden")
    finally:
        structlog.contextvars.clear_contextvars()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["event"] for line in lines] == ["group created", "from stdlib"]
    for line in lines:
        assert line["service"] == "membership" and line["tenant"] == "met"
        assert line["correlation_id"] == "c-1" and line["trace_id"] == "t" * 32
        assert line["span_id"] == "s" * 16 and "timestamp" in line
    assert lines[0]["level"] == "info" and lines[0]["group_id"] == "g-1"
    assert lines[1]["level"] == "warning" and lines[1]["logger"] == "stdlib.lib"


def test_tenant_context_and_mismatch() -> None:
    assert current_tenant_or_none() is None
    with pytest.raises(NoTenantContext):
        current_tenant()
    with tenant_context("met"):
        assert current_tenant() == "met"
        ensure_same_tenant("met")
        with pytest.raises(TenantMismatch):
            ensure_same_tenant("city-of-london")
    assert current_tenant_or_none() is None


def test_metric_helpers_return_the_same_metric() -> None:
    made = counter("snp_test_things_total", "Things.", ("kind",))
    assert counter("snp_test_things_total", "Things.", ("kind",)) is made
    with pytest.raises(TypeError):
        gauge("snp_test_things_total", "Things.")


def test_checks_fail_on_a_closed_port_and_never_raise() -> None:
    port = _closed_port()
    results = run_checks(
        {
            "postgres": postgres_check(f"postgresql://snp@127.0.0.1:{port}/snp", timeout=1),
            "opa": opa_check(f"http://127.0.0.1:{port}", timeout=1),
            "broken": lambda: 1 / 0,  # type: ignore[dict-item, return-value]
        }
    )
    assert all(not ok for ok, _ in results.values())
    assert results["broken"][1].startswith("ZeroDivisionError")
    assert "password" not in results["postgres"][1]


def test_kafka_clients_authenticate_when_credentials_are_configured(monkeypatch: Any) -> None:
    from snp_platform.kafka import client_config, consumer_config, producer_config

    for name in ("USERNAME", "PASSWORD", "SECURITY_PROTOCOL", "SASL_MECHANISM", "CA_PEM"):
        monkeypatch.delenv(f"SNP_KAFKA_{name}", raising=False)
    assert client_config("k:9092") == {"bootstrap.servers": "k:9092"}  # the local stack
    monkeypatch.setenv("SNP_KAFKA_USERNAME", "snp")
    monkeypatch.setenv("SNP_KAFKA_PASSWORD", "s3cret")
    monkeypatch.setenv("SNP_KAFKA_CA_PEM", "-----BEGIN CERTIFICATE-----")
    for config in (producer_config("k:9093", "relay"), consumer_config("k:9093", "group")):
        assert config["security.protocol"] == "SASL_SSL"
        assert config["sasl.mechanism"] == "SCRAM-SHA-512"
        assert (config["sasl.username"], config["sasl.password"]) == ("snp", "s3cret")
        assert config["ssl.ca.pem"].startswith("-----BEGIN")
    monkeypatch.setenv("SNP_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("SNP_KAFKA_SASL_MECHANISM", "PLAIN")
    config = client_config("k:9092")
    assert (config["security.protocol"], config["sasl.mechanism"]) == ("SASL_PLAINTEXT", "PLAIN")
