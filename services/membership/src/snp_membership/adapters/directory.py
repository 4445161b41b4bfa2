"""Identity's directory over gRPC, as this service's own client: display names, batched,
each call signed with membership's service token."""

from __future__ import annotations

import grpc

from snp.identity.v1 import directory_pb2 as pb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp_platform.logging import get_logger
from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner

BATCH = 500  # identity's limit per call
log = get_logger(__name__)


class IdentityDirectory:
    def __init__(self, target: str, signer: ServiceTokenSigner, timeout: float = 3.0) -> None:
        channel = grpc.insecure_channel(target)  # loopback locally; mTLS by the mesh in Kubernetes
        self._channel = grpc.intercept_channel(
            channel, ServiceTokenClientInterceptor(signer, "identity")
        )
        self._stub = rpc.DirectoryStub(self._channel)
        self._timeout = timeout

    def display_names(self, tenant: str, account_ids: list[str]) -> dict[str, str]:
        """Names of these accounts; erased and unknown ones are left out. When identity cannot
        answer, no names (lists then show account ids only) rather than a failed request."""
        names: dict[str, str] = {}
        for start in range(0, len(account_ids), BATCH):
            request = pb.GetDisplayNamesRequest(
                tenant=tenant, account_ids=account_ids[start : start + BATCH]
            )
            try:
                reply = self._stub.GetDisplayNames(request, timeout=self._timeout)
            except grpc.RpcError as error:
                log.warning("display names unavailable", code=str(error.code()))
                return names
            names.update(reply.display_names)
        return names

    def close(self) -> None:
        self._channel.close()
