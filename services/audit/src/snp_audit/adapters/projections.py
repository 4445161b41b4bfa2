"""Audit's read models of other services' events (state only: rebuilding one is safe). The log
itself is not one: entries are appended once and never rebuilt (see service_layer/ingest.py)."""

from __future__ import annotations

from snp_platform.revocations import RevocationsProjection


def revocations_projection() -> RevocationsProjection:
    """Identity's revoking events, so audit's API refuses revoked tokens."""
    return RevocationsProjection()
