"""MembershipQueries over gRPC for other services. The server interceptor admits only services
whose keys membership trusts; each answer stays inside the tenant the request names."""

from __future__ import annotations

from typing import Any

import grpc
from psycopg_pool import ConnectionPool

from snp.membership.v1 import queries_pb2 as pb
from snp.membership.v1 import queries_pb2_grpc as rpc
from snp_membership.service_layer import queries
from snp_platform.service_auth import authenticated_caller


class MembershipQueriesServicer(rpc.MembershipQueriesServicer):  # type: ignore[misc]
    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self._pool = pool

    def GetGroupRoles(
        self, request: pb.GetGroupRolesRequest, context: Any
    ) -> pb.GetGroupRolesResponse:
        _checked(context, request.tenant, request.group_id, request.account_id)
        with self._pool.connection() as conn:
            facts = queries.group_facts(conn, request.tenant, request.group_id)
            if facts is None:
                return pb.GetGroupRolesResponse(group_found=False)
            roles = queries.roles_in_group(conn, request.group_id, request.account_id)
        return pb.GetGroupRolesResponse(group_found=True, group=_summary(facts), roles=roles)

    def ListGroupMembers(
        self, request: pb.ListGroupMembersRequest, context: Any
    ) -> pb.ListGroupMembersResponse:
        _checked(context, request.tenant, request.group_id)
        size = request.page_size or 100
        if size > queries.MAX_PAGE:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "page_size is at most 1000")
        with self._pool.connection() as conn:
            facts = queries.group_facts(conn, request.tenant, request.group_id)
            if facts is None:
                return pb.ListGroupMembersResponse(group_found=False)
            page, next_token = queries.members(conn, request.group_id, request.page_token, size)
        return pb.ListGroupMembersResponse(
            group_found=True,
            group=_summary(facts),
            members=[pb.GroupMember(account_id=a, roles=r) for a, r in page],
            next_page_token=next_token,
        )

    def ListAccountGroups(
        self, request: pb.ListAccountGroupsRequest, context: Any
    ) -> pb.ListAccountGroupsResponse:
        _checked(context, request.tenant, request.account_id)
        with self._pool.connection() as conn:
            found = queries.account_groups(conn, request.tenant, request.account_id)
        return pb.ListAccountGroupsResponse(
            groups=[pb.AccountGroup(group=_summary(f), roles=r) for f, r in found]
        )

    def ListGroupsLedAlone(
        self, request: pb.ListGroupsLedAloneRequest, context: Any
    ) -> pb.ListGroupsLedAloneResponse:
        _checked(context, request.tenant, request.account_id)
        with self._pool.connection() as conn:
            found = queries.groups_led_alone(conn, request.tenant, request.account_id)
        return pb.ListGroupsLedAloneResponse(
            groups=[pb.LedGroup(group_id=g, name=n, role=r) for g, n, r in found]
        )


def _summary(facts: queries.GroupFacts) -> pb.GroupSummary:
    return pb.GroupSummary(
        group_id=facts.group_id,
        group_type=facts.group_type,
        ward_code=facts.ward_code,
        ward_name=facts.ward_name,
        visibility=facts.visibility,
        status=facts.status,
        directory=facts.directory,
    )


def _checked(context: Any, *required: str) -> None:
    if authenticated_caller() is None:  # the interceptor lets no anonymous call through
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "service credentials required")
    if not all(required):
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "tenant and ids are required")
