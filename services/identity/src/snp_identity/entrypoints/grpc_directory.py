"""The directory over gRPC: contact details and display names for other services.

Only services whose public keys identity trusts get here (the server interceptor refuses
everyone else); each contact release is recorded with the calling service and its purpose,
which must be complete enough to be told to the member in words (domain/disclosures.py).
"""

from __future__ import annotations

from typing import Any

import grpc

from snp.identity.v1 import directory_pb2 as pb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp_identity.service_layer import directory
from snp_identity.service_layer.context import IdentityContext
from snp_platform.service_auth import authenticated_caller


class DirectoryServicer(rpc.DirectoryServicer):  # type: ignore[misc]
    def __init__(self, ctx: IdentityContext) -> None:
        self._ctx = ctx

    def GetContacts(self, request: pb.GetContactsRequest, context: Any) -> pb.GetContactsResponse:
        caller = _checked(request.tenant, request.account_ids, context)
        # Refused before anything is read: every release must be one the member can be told.
        purpose = directory.purpose_of(request.why)
        if not request.HasField("why") or purpose.problems():
            problems = purpose.problems() or ["a purpose (why) is required"]
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                "say why the contacts are needed: " + "; ".join(problems),
            )
        found = directory.contacts(
            self._ctx, request.tenant, list(request.account_ids), caller, purpose
        )
        return pb.GetContactsResponse(
            contacts=[
                pb.ContactDetails(
                    account_id=account_id, display_name=c.display_name, email=c.email, phone=c.phone
                )
                for account_id, c in found.items()
            ]
        )

    def GetDisplayNames(
        self, request: pb.GetDisplayNamesRequest, context: Any
    ) -> pb.GetDisplayNamesResponse:
        _checked(request.tenant, request.account_ids, context)
        names = directory.display_names(self._ctx, request.tenant, list(request.account_ids))
        return pb.GetDisplayNamesResponse(display_names=names)


def _checked(tenant: str, account_ids: Any, context: Any) -> str:
    caller = authenticated_caller()
    if caller is None:  # the interceptor lets no anonymous call through; be sure anyway
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "service credentials required")
    if not tenant or len(account_ids) > directory.MAX_BATCH:
        context.abort(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"a tenant and at most {directory.MAX_BATCH} account ids",
        )
    return str(caller)
