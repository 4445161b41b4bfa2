"""The way in: `/` (choose your force, or your groups once signed in), `/find`, and a force's
home page `/forces/{tenant}`. The forms here are GET forms that change nothing, so they carry
no CSRF token (it would end up in the address bar and the history)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.entrypoints.force_pages import maybe_signed_in, the_force
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import current_session, see_other

router = APIRouter()


def _choose_force(
    request: Request,
    then: str,
    value: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    title = "Find a group" if then == "groups" else "Find your police force"
    return render(
        request,
        "choose_force.html",
        status_code=status_code,
        title=title,
        active="find" if then == "groups" else None,
        then=then,
        value=value,
        errors=errors or {},
        error_items=error_list(errors or {}),
    )


@router.get("/")
def home(request: Request) -> Response:
    session = current_session(request)
    if session is not None and session.signed_in:
        return see_other("/groups")
    return _choose_force(request, "")


@router.get("/find")
def find(request: Request) -> Response:
    session = current_session(request)
    if session is not None and session.signed_in and session.tenant:
        return see_other(f"/forces/{session.tenant}/groups")
    return _choose_force(request, "groups")


@router.get("/forces")
def chosen_force(request: Request, force: str = "", then: str = "") -> Response:
    current_session(request)
    then = "groups" if then == "groups" else ""
    slug = force.strip().lower()
    if not slug:
        errors = {"force": "Enter the short name of your police force"}
        return _choose_force(request, then, force, errors, 400)
    if request.app.state.force_names.find(slug) is None:
        errors = {"force": "There is no police force with that short name. Check it and try again"}
        return _choose_force(request, then, force, errors, 404)
    return see_other(f"/forces/{slug}/groups" if then else f"/forces/{slug}")


@router.get("/forces/{tenant}")
def force_home(request: Request, tenant: str, registered: str = "") -> Response:
    force = the_force(request, tenant)
    user = maybe_signed_in(request)
    return render(
        request,
        "force_home.html",
        title=force.display_name,
        force_slug=force.slug,
        force_name=force.display_name,
        user_here=user is not None and user.tenant == force.slug,
        registered=registered == "1" and user is not None,
        values={},
        errors={},
    )
