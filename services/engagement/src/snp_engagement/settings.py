"""Engagement's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from snp_platform.settings import ServiceSettings


class EngagementSettings(ServiceSettings):
    """What engagement adds to every service's settings (nothing yet but its name)."""

    service_name: str = "engagement"
