"""`/documents/groups/{gid}/mailing-lists`: officers' mailing lists."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_documents.entrypoints.dependencies import context, metadata
from snp_documents.entrypoints.schemas import MailingListIn, MailingListMembersIn
from snp_documents.service_layer import mailing_lists
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/documents/groups/{group_id}/mailing-lists", tags=["mailing lists"])
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]


@router.post("", status_code=201)
def create_mailing_list(
    group_id: Id, body: MailingListIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """A list of some of the group's current members."""
    return mailing_lists.create(
        context(request),
        principal,
        group_id,
        body.name,
        body.member_account_ids,
        metadata(request, principal.account_id),
    )


@router.get("")
def list_mailing_lists(
    group_id: Id, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    return {"items": mailing_lists.list_lists(context(request), principal, group_id)}


@router.put("/{mailing_list_id}/members")
def replace_mailing_list_members(
    group_id: Id,
    mailing_list_id: Id,
    body: MailingListMembersIn,
    request: Request,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    return mailing_lists.replace_members(
        context(request),
        principal,
        group_id,
        mailing_list_id,
        body.member_account_ids,
        metadata(request, principal.account_id),
    )


@router.delete("/{mailing_list_id}", status_code=204)
def delete_mailing_list(
    group_id: Id, mailing_list_id: Id, request: Request, principal: CurrentPrincipal
) -> Response:
    mailing_lists.delete(
        context(request),
        principal,
        group_id,
        mailing_list_id,
        metadata(request, principal.account_id),
    )
    return Response(status_code=204)
