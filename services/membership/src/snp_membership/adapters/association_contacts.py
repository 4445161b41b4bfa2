"""Coordinators' contact details for the Neighbourhood Watch association's export, from
identity's directory (`GetContacts`, purpose `association_export`, signed as membership).

Identity releases only the accounts that agreed to share their details with the association
and records each release, so the coordinator sees it in their disclosures; membership keeps
nothing of what comes back beyond the one response it is written into.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import grpc

from snp.identity.v1 import directory_pb2 as pb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp.identity.v1.events_pb2 import ReleasePurpose
from snp_platform.grpc_tls import GrpcTls, service_channel
from snp_platform.service_auth import ServiceTokenSigner

BATCH = 500  # identity's limit per call
ASSOCIATION_EXPORT = "association_export"


@dataclass(frozen=True)
class Contact:
    email: str
    phone: str


class ContactsUnavailable(Exception):
    """Identity could not be asked: the export is refused (503) rather than sent without the
    details it promised, and nothing is recorded."""


class AssociationContacts(Protocol):
    def for_export(self, tenant: str, account_ids: list[str], export_id: str) -> dict[str, Contact]:
        """Contacts of those among `account_ids` who agreed; everyone else is absent."""
        ...


class IdentityAssociationContacts:
    def __init__(
        self, target: str, signer: ServiceTokenSigner, timeout: float, tls: GrpcTls | None = None
    ) -> None:
        self._channel = service_channel(target, signer, "identity", tls)
        self._stub = rpc.DirectoryStub(self._channel)
        self._timeout = timeout

    def for_export(self, tenant: str, account_ids: list[str], export_id: str) -> dict[str, Contact]:
        why = ReleasePurpose(code=ASSOCIATION_EXPORT, export_id=export_id)
        wanted = list(dict.fromkeys(account_ids))
        found: dict[str, Contact] = {}
        for start in range(0, len(wanted), BATCH):
            request = pb.GetContactsRequest(
                tenant=tenant,
                account_ids=wanted[start : start + BATCH],
                purpose=f"association export: {export_id}",
                why=why,
            )
            try:
                reply = self._stub.GetContacts(request, timeout=self._timeout)
            except grpc.RpcError as error:
                raise ContactsUnavailable(str(error.code())) from error
            for c in reply.contacts:
                found[c.account_id] = Contact(c.email, c.phone)
        return found

    def close(self) -> None:
        self._channel.close()


class NoAssociationContacts:
    """No directory (unit tests, tools): nobody's contact details are released."""

    def for_export(self, tenant: str, account_ids: list[str], export_id: str) -> dict[str, Contact]:
        return {}
