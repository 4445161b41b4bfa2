"""Documents' read models of other services' events (state only: rebuilding one is safe)."""

from __future__ import annotations

from snp_platform.group_roles import GroupRolesProjection
from snp_platform.revocations import RevocationsProjection


def group_roles_projection() -> GroupRolesProjection:
    """Who holds which role in which group: every documents policy question reads it. Rebuild
    it from the operator's console, or with `snp-events projection rebuild --projection
    snp_documents.adapters.projections:group_roles_projection --from kafka --topic
    snp.membership.events` (the consumer waits while it runs)."""
    return GroupRolesProjection("documents.group-roles-projection")


def revocations_projection() -> RevocationsProjection:
    return RevocationsProjection()
