"""Identity's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from snp_platform.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    """What identity adds to every service's settings."""

    service_name: str = "identity"
    token_issuer: str | None = "snp-identity"  # noqa: S105 (an issuer name, not a secret)
    access_token_lifetime_seconds: int = 900
