"""Display names from identity's directory over gRPC, for the services that show people by
name (membership's member lists, documents' mailing lists): batched, each call signed with the
calling service's token.

Names only: identity does not record these as a release of contact data (an address is; see
identity's `GetContacts`)."""

from __future__ import annotations

from typing import Protocol

import grpc

from snp.identity.v1 import directory_pb2 as pb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp_platform.grpc_tls import GrpcTls, service_channel
from snp_platform.logging import get_logger
from snp_platform.service_auth import ServiceTokenSigner

BATCH = 500  # identity's limit per call
log = get_logger(__name__)


class DisplayNames(Protocol):
    """Identity's directory as a list shows it: display names by account id."""

    def display_names(self, tenant: str, account_ids: list[str]) -> dict[str, str]: ...


class IdentityDisplayNames:
    """A client of `snp.identity.v1.Directory.GetDisplayNames`."""

    def __init__(
        self,
        target: str,
        signer: ServiceTokenSigner,
        timeout: float = 3.0,
        tls: GrpcTls | None = None,
    ) -> None:
        self._channel = service_channel(target, signer, "identity", tls)
        self._stub = rpc.DirectoryStub(self._channel)
        self._timeout = timeout

    def display_names(self, tenant: str, account_ids: list[str]) -> dict[str, str]:
        """Names of these accounts; erased and unknown ones are left out. When identity cannot
        answer, no names (lists then show account ids only) rather than a failed request."""
        names: dict[str, str] = {}
        wanted = list(dict.fromkeys(account_ids))
        for start in range(0, len(wanted), BATCH):
            request = pb.GetDisplayNamesRequest(
                tenant=tenant, account_ids=wanted[start : start + BATCH]
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


class NoDisplayNames:
    """No directory (unit tests, tools): every list shows account ids only."""

    def display_names(self, tenant: str, account_ids: list[str]) -> dict[str, str]:
        return {}
