"""Identity's directory over gRPC, called as the messaging service (a signed service token).

Contact details are asked for at send time, in batches, and live only in the caller's memory
for the delivery attempt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import grpc

from snp.identity.v1 import directory_pb2 as pb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp.identity.v1.events_pb2 import ReleasePurpose
from snp_platform.grpc_tls import GrpcTls, service_channel
from snp_platform.service_auth import ServiceTokenSigner

BATCH = 500


@dataclass(frozen=True)
class ContactDetails:
    display_name: str
    email: str
    phone: str


class DirectoryUnavailable(Exception):
    """Identity could not be asked (deliveries wait and retry; nothing is lost)."""


class Directory:
    """A client of `snp.identity.v1.Directory`."""

    def __init__(
        self,
        target: str,
        signer: ServiceTokenSigner,
        timeout: float = 10.0,
        tls: GrpcTls | None = None,
    ) -> None:
        self._channel = service_channel(target, signer, "identity", tls)
        self._stub = rpc.DirectoryStub(self._channel)
        self._timeout = timeout

    def contacts(
        self, tenant: str, account_ids: Iterable[str], why: ReleasePurpose
    ) -> dict[str, ContactDetails]:
        """Contacts of the tenant's active accounts among `account_ids` (others are absent);
        identity records each release with `why`, and tells the member in words."""
        wanted = list(dict.fromkeys(account_ids))
        found: dict[str, ContactDetails] = {}
        for start in range(0, len(wanted), BATCH):
            request = pb.GetContactsRequest(
                tenant=tenant, account_ids=wanted[start : start + BATCH], why=why
            )
            for c in self._call(self._stub.GetContacts, request).contacts:
                found[c.account_id] = ContactDetails(c.display_name, c.email, c.phone)
        return found

    def display_names(self, tenant: str, account_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(account_ids))
        names: dict[str, str] = {}
        for start in range(0, len(wanted), BATCH):
            request = pb.GetDisplayNamesRequest(
                tenant=tenant, account_ids=wanted[start : start + BATCH]
            )
            names.update(self._call(self._stub.GetDisplayNames, request).display_names)
        return names

    def _call(self, method: Any, request: object) -> Any:
        try:
            return method(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise DirectoryUnavailable(f"identity directory: {error.code()}") from error

    def close(self) -> None:
        self._channel.close()
