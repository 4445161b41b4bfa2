"""A group's mailing lists (officers): the lists with their members by name, a new list, its
members changed, and a document forwarded to a list. Documents and OPA decide; a member who
posts these forms meets documents' refusal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain.refusals import error_message
from snp_portal.entrypoints.group_forms import member_choices, members_by_name
from snp_portal.entrypoints.group_pages import Id, group_page, render_group, titled
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()


def _lists(request: Request, user: SignedIn, group_id: str) -> list[dict[str, Any]]:
    found = apis(request).documents.get(f"/groups/{group_id}/mailing-lists", user.token)
    items: list[dict[str, Any]] = found["items"]
    return sorted(items, key=lambda item: str(item["name"]).lower())


def _lists_page(
    request: Request,
    user: SignedIn,
    group_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    page = group_page(request, group_id)
    lists = _lists(request, user, group_id)
    values = values or {"name": "", "members": []}
    members = members_by_name(page) if page.offers["officer"] else []
    return render_group(
        request,
        "group_mailing_lists.html",
        page,
        "mailing-lists",
        "Mailing lists",
        status_code=status_code,
        errors=errors,
        title=titled("Mailing lists", page.group["name"]),
        lists=lists,
        member_items=member_choices(members, values["members"]),
        done=request.query_params.get("done", ""),
        values=values,
    )


@router.get("/groups/{group_id}/mailing-lists")
def mailing_lists(request: Request, group_id: Id) -> Response:
    return _lists_page(request, signed_in(request), group_id)


async def _chosen(request: Request) -> list[str]:
    return [str(v) for v in (await request.form()).getlist("members")]


@router.post("/groups/{group_id}/mailing-lists")
async def create(request: Request, group_id: Id) -> Response:
    user, fields = await signed_in_form(request)
    values = {"name": fields.get("name", "").strip(), "members": await _chosen(request)}
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter a name for the list"
    if not errors:
        body = {"name": values["name"], "member_account_ids": values["members"]}
        try:
            await run_in_threadpool(
                apis(request).documents.post,
                f"/groups/{group_id}/mailing-lists",
                user.token,
                json=body,
            )
            return see_other(f"/groups/{group_id}/mailing-lists?done=created")
        except Refusal as refusal:
            if refusal.status in (403, 404):
                raise
            errors = {"name": error_message(refusal.message)}
    return await run_in_threadpool(_lists_page, request, user, group_id, errors, values, 400)


def _one_list(request: Request, user: SignedIn, group_id: str, list_id: str) -> dict[str, Any]:
    for item in _lists(request, user, group_id):
        if item["id"] == list_id:
            return item
    raise HTTPException(404)


@router.get("/groups/{group_id}/mailing-lists/{list_id}")
def edit_members(request: Request, group_id: Id, list_id: Id) -> Response:
    user = signed_in(request)
    page = group_page(request, group_id)
    chosen = _one_list(request, user, group_id, list_id)
    return render_group(
        request,
        "mailing_list_members.html",
        page,
        "mailing-lists",
        chosen["name"],
        title=titled(chosen["name"], page.group["name"]),
        mailing_list=chosen,
        member_items=member_choices(members_by_name(page), chosen["member_account_ids"]),
    )


@router.post("/groups/{group_id}/mailing-lists/{list_id}")
async def save_members(request: Request, group_id: Id, list_id: Id) -> Response:
    user, _fields = await signed_in_form(request)
    body = {"member_account_ids": await _chosen(request)}
    await run_in_threadpool(
        apis(request).documents.put,
        f"/groups/{group_id}/mailing-lists/{list_id}/members",
        user.token,
        json=body,
    )
    return see_other(f"/groups/{group_id}/mailing-lists?done=saved")


def _forward_page(
    request: Request,
    user: SignedIn,
    group_id: str,
    document_id: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    page = group_page(request, group_id)
    document = apis(request).documents.get(f"/documents/{document_id}", user.token)
    if document["group_id"] != page.group_id:
        raise HTTPException(404)
    heading = f"Send {document['title']} to a mailing list"
    return render_group(
        request,
        "document_forward.html",
        page,
        "documents",
        heading,
        status_code=status_code,
        errors=errors,
        title=titled(heading, page.group["name"]),
        document=document,
        lists=_lists(request, user, group_id),
    )


@router.get("/groups/{group_id}/documents/{document_id}/forward")
def forward_form(request: Request, group_id: Id, document_id: Id) -> Response:
    return _forward_page(request, signed_in(request), group_id, document_id)


@router.post("/groups/{group_id}/documents/{document_id}/forward")
async def forward(request: Request, group_id: Id, document_id: Id) -> Response:
    user, fields = await signed_in_form(request)
    list_id = fields.get("mailing_list", "")
    if not list_id:
        errors = {"mailing_list": "Select a mailing list"}
    else:
        try:
            await run_in_threadpool(
                apis(request).documents.post,
                f"/documents/{document_id}/forward",
                user.token,
                json={"mailing_list_id": list_id},
            )
            return see_other(f"/groups/{group_id}/documents?done=forwarded")
        except Refusal as refusal:
            if refusal.status in (403, 404):
                raise
            errors = {"mailing_list": error_message(refusal.message)}
    return await run_in_threadpool(_forward_page, request, user, group_id, document_id, errors, 400)
