"""Service configuration, read from the environment by a function (never at import time)."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class ServiceSettings(BaseSettings):
    """What every service needs; services subclass it and add their own fields.

    Platform-wide infrastructure keeps its conventional names (`DATABASE_URL`, `KAFKA_BOOTSTRAP`,
    `OPA_URL`) so the stack runner can point every service at the same servers; everything else
    is `SNP_<FIELD>`.
    """

    model_config = SettingsConfigDict(env_prefix="SNP_", extra="ignore", populate_by_name=True)

    service_name: str = "snp"
    database_url: str = Field(
        default="", validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP", "kafka_bootstrap"),
    )
    opa_url: str = Field(
        default="http://127.0.0.1:8181", validation_alias=AliasChoices("OPA_URL", "opa_url")
    )
    http_host: str = "127.0.0.1"
    # Whose X-Forwarded-For is believed (uvicorn's forwarded_allow_ips: addresses or CIDRs, or
    # "*"): the portal and the ingress, so identity throttles by the browser's address.
    forwarded_allow_ips: str = "127.0.0.1"
    http_port: int = 8000
    # How long an idle keep-alive connection stays open. Longer than the clients' own idle
    # expiry (httpx's 5 s in the portal, an ingress's 60 s): a client must never reuse a
    # connection in the instant the server closes it, which fails a POST with no answer.
    http_keep_alive_seconds: int = 75
    # How long a request waits for a database connection before it is answered 503 (with
    # Retry-After): while PostgreSQL restarts, a wait longer than a client's own timeout would
    # be a hang. psycopg_pool's default is 30 s.
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50051
    # Mutual TLS for gRPC (Kubernetes; see grpc_tls.py): PEM files, all three or none.
    grpc_tls_cert_file: str = ""
    grpc_tls_key_file: str = ""
    grpc_tls_ca_file: str = ""
    # False only for a gRPC that people call through the ingress too (audit): TLS, and their
    # bearer token, but no client certificate asked of them.
    grpc_tls_require_client_cert: bool = True
    # Workers (relay, consumers) answer /healthz and /metrics here; 0 = not at all.
    health_port: int = 0
    # Where identity publishes its signing keys; empty means "this service verifies no tokens".
    jwks_url: str = ""
    token_issuer: str | None = None
    token_leeway_seconds: float = 5.0
    log_level: LogLevel = "INFO"
    # Service-to-service auth (see service_auth.py): this service's Ed25519 private key and the
    # public keys of the services allowed to call it, as {"membership": "<base64url key>", ...}.
    service_signing_key: SecretStr | None = None
    service_trusted_keys: dict[str, str] = Field(default_factory=dict)
    service_token_ttl_seconds: int = 60

    @property
    def api_prefix(self) -> str:
        """The path prefix of this service's REST routes, e.g. `/identity`."""
        return f"/{self.service_name}"


S = TypeVar("S", bound=ServiceSettings)


def load_settings(cls: type[S], **overrides: object) -> S:
    """Read `cls` from the environment; keyword overrides win (handy in tests and CLIs)."""
    return cls(**overrides)  # type: ignore[arg-type]
