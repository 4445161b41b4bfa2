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
