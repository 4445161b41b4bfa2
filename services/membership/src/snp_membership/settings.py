"""Membership's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from snp_platform.settings import ServiceSettings


class MembershipSettings(ServiceSettings):
    """What membership adds to every service's settings."""

    service_name: str = "membership"
    token_issuer: str | None = "snp-identity"  # noqa: S105 (an issuer name, not a secret)
    # Where identity's directory answers gRPC (display names for member lists).
    identity_grpc_target: str = "127.0.0.1:50051"
    # How long a member list waits for identity's display names before showing ids only.
    directory_timeout_seconds: float = 3.0
