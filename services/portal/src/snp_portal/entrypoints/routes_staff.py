"""What a staff account is told when it signed in without its second factor (staff.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import portal, signed_in

router = APIRouter()


@router.get("/staff/second-factor")
def second_factor(request: Request) -> Response:
    user = signed_in(request)
    me = portal(request).identity.me(user.token)
    return render(
        request,
        "staff_second_factor.html",
        title="Staff pages need your authenticator app",
        active="account",
        enrolled=me.totp_enrolled,
        errors={},
    )
