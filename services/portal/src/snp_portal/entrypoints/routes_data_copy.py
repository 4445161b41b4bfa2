"""Get a copy of your data (subject access): ask identity for it, follow its progress while the
services give their parts, and download the ZIP. Identity and the policy decide who may read an
export (the account itself only: anyone else's id is a 404 there); this page only shows it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.group_pages import Id
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import apis, see_other, signed_in, signed_in_form

router = APIRouter()


@router.get("/account/data-copy")
def data_copies(request: Request) -> Response:
    user = signed_in(request)
    found = apis(request).identity.get("/me/data-exports", user.token)
    return render(
        request,
        "account_data_copy.html",
        title="Get a copy of your data",
        active="account",
        exports=found["exports"],
    )


@router.post("/account/data-copy")
async def ask_for_a_copy(request: Request) -> Response:
    user, _form = await signed_in_form(request)
    asked = apis(request).identity.post("/me/data-exports", user.token)
    return see_other(f"/account/data-copy/{asked.json()['export_id']}")


@router.get("/account/data-copy/{export_id}")
def progress(request: Request, export_id: Id) -> Response:
    user = signed_in(request)
    export = apis(request).identity.get(f"/me/data-exports/{export_id}", user.token)
    return render(
        request,
        "account_data_copy_progress.html",
        title="Your copy" if export["status"] == "ready" else "Your copy is being put together",
        active="account",
        export=export,
    )


@router.get("/account/data-copy/{export_id}/download")
def download(request: Request, export_id: Id) -> Response:
    """The ZIP, passed on as identity sends it (never held whole here)."""
    user = signed_in(request)
    path = f"/me/data-exports/{export_id}/download"
    return passed_on(apis(request).identity.open_stream(path, user.token))
