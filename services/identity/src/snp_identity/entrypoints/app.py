"""Identity's web app: the platform plumbing plus identity's routes."""

from __future__ import annotations

from fastapi import FastAPI

from snp_identity.settings import IdentitySettings
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app


def readiness_checks(settings: IdentitySettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def build_app(settings: IdentitySettings) -> FastAPI:
    return create_app(settings, readiness_checks(settings))
