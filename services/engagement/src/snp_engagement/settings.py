"""Engagement's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from snp_platform.settings import ServiceSettings

MIB = 1024 * 1024


class EngagementSettings(ServiceSettings):
    """What engagement adds to every service's settings."""

    service_name: str = "engagement"
    # Key-encryption keys that wrap each resident's report's data key (SNP_REPORT_KEKS, format
    # in snp_platform.keywrap); a Kubernetes Secret in production. Without it no report is taken.
    report_keks: SecretStr = SecretStr("")
    # Largest photo a report may carry, in bytes (SNP_REPORT_PHOTO_MAX_BYTES).
    report_photo_max_bytes: int = Field(default=5 * MIB, gt=0, le=25 * MIB)
    # How long a closed report's contents are kept when its force set no retention of its own
    # (SNP_REPORT_RETENTION_DAYS), and how often the relay role's job looks for expired ones.
    report_retention_days: int = Field(default=365, ge=7, le=3650)
    report_retention_interval_seconds: float = Field(default=86_400.0, gt=0)
