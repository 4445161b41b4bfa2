"""Membership's queries over gRPC, called as the identity service (a signed service token):
only to learn, before an account erases itself, which groups it leads alone."""

from __future__ import annotations

import grpc

from snp.membership.v1 import queries_pb2 as pb
from snp.membership.v1 import queries_pb2_grpc as rpc
from snp_identity.domain.accounts import LedGroup
from snp_platform.grpc_tls import GrpcTls, service_channel
from snp_platform.service_auth import ServiceTokenSigner


class MembershipUnavailable(Exception):
    """Membership could not be asked: the erasure waits (503) rather than guess."""


class MembershipLeadership:
    """A client of `snp.membership.v1.MembershipQueries.ListGroupsLedAlone`."""

    def __init__(
        self,
        target: str,
        signer: ServiceTokenSigner,
        timeout: float = 5.0,
        tls: GrpcTls | None = None,
    ) -> None:
        self._channel = service_channel(target, signer, "membership", tls)
        self._stub = rpc.MembershipQueriesStub(self._channel)
        self._timeout = timeout

    def groups_led_alone(self, tenant: str, account_id: str) -> list[LedGroup]:
        request = pb.ListGroupsLedAloneRequest(tenant=tenant, account_id=account_id)
        try:
            answer = self._stub.ListGroupsLedAlone(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise MembershipUnavailable(str(error.code())) from error
        return [LedGroup(g.group_id, g.name, g.role) for g in answer.groups]

    def close(self) -> None:
        self._channel.close()
