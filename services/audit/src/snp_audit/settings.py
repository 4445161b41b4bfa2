"""Audit's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from snp_platform.settings import ServiceSettings


class AuditSettings(ServiceSettings):
    """What audit adds to every service's settings."""

    service_name: str = "audit"
    token_issuer: str | None = "snp-identity"  # noqa: S105 (an issuer name, not a secret)
    # The Ed25519 private key that signs checkpoints (32 bytes, base64url); a Kubernetes Secret
    # in production. Required: an unsigned log proves nothing.
    audit_signing_key: SecretStr = SecretStr("")
    # The Kafka consumer group of the `consumer` role (another group reads the topics afresh).
    consumer_group: str = "audit"
    # A new checkpoint is signed this often while entries arrive (the promise is 60 s at most).
    checkpoint_interval_seconds: float = Field(default=15.0, gt=0, le=60)
    # How often the service re-verifies every tenant's whole log.
    self_check_interval_seconds: float = Field(default=300.0, gt=0)
    # The bearer token OPA presents with its decision logs (its config's service credentials);
    # uploads without it are refused, so nobody else can write decisions into the log.
    decision_log_token: SecretStr = SecretStr("")
    # OPA's decision-log uploads larger than this (after gunzip) are refused.
    decision_log_max_bytes: int = 16 * 1024 * 1024
