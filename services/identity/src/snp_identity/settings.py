"""Identity's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from pydantic import SecretStr

from snp_platform.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    """What identity adds to every service's settings."""

    service_name: str = "identity"
    token_issuer: str | None = "snp-identity"  # noqa: S105 (an issuer name, not a secret)
    access_token_lifetime_seconds: int = 900
    refresh_token_lifetime_seconds: int = 14 * 24 * 3600
    # Key-encryption keys that wrap every account's data key (format: snp_platform.keywrap, as for
    # documents); a Kubernetes Secret in production. Required: without it nothing can be stored.
    keks: SecretStr = SecretStr("")
    # Keys the keyed hash used to look accounts up by email without storing the email.
    blind_index_key: SecretStr = SecretStr("")
    # Membership's queries (which groups an account leads alone, asked before it erases itself).
    membership_grpc_target: str = "127.0.0.1:50052"
    # Where the other services answer `ExportSubject` (a copy of all my data, in the relay role).
    documents_grpc_target: str = "127.0.0.1:50053"
    messaging_grpc_target: str = "127.0.0.1:50054"
    audit_grpc_target: str = "127.0.0.1:50055"
    engagement_grpc_target: str = "127.0.0.1:50056"

    def export_targets(self) -> dict[str, str]:
        """Each service asked for its part of a subject access export, by name."""
        return {
            "membership": self.membership_grpc_target,
            "documents": self.documents_grpc_target,
            "messaging": self.messaging_grpc_target,
            "engagement": self.engagement_grpc_target,
            "audit": self.audit_grpc_target,
        }

    def jwks_self_url(self) -> str:
        """Identity verifies its own tokens the way every other service does: by its JWKS."""
        return self.jwks_url or (
            f"http://127.0.0.1:{self.http_port}/identity/.well-known/jwks.json"
        )
