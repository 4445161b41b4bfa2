"""Engagement's read models of other services' events (state only: rebuilding one is safe)."""

from __future__ import annotations

from snp_platform.group_roles import GroupRolesProjection
from snp_platform.revocations import RevocationsProjection


def group_roles_projection() -> GroupRolesProjection:
    """Which groups are ward panels, in which ward, and who holds which role in them: every
    engagement policy question reads it. Rebuild it from the operator's console, or with
    `snp-events projection rebuild --projection
    snp_engagement.adapters.projections:group_roles_projection --from kafka --topic
    snp.membership.events`."""
    return GroupRolesProjection("engagement.group-roles-projection")


def revocations_projection() -> RevocationsProjection:
    return RevocationsProjection()
