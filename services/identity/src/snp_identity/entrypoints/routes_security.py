"""The caller's own security: a new password, a replaced authenticator, new recovery codes,
signing out everywhere; and resetting a forgotten password (anonymous: the emailed link's token
is the authority, so no policy is asked, as for sign-in)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.schemas import (
    PasswordChangeIn,
    PasswordResetIn,
    PasswordResetRequestIn,
    TokensOut,
)
from snp_identity.service_layer import families, passwords, second_factor
from snp_identity.service_layer.sessions import TooManyAttempts
from snp_platform.authz import authorize
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/identity", tags=["security"])

ResetToken = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


def _allow_self(request: Request, who: Principal, action: str) -> None:
    resource = {"type": "account", "id": who.account_id, "tenant": who.tenant}
    authorize(deps.opa(request), who, action, {**resource, "owner": who.account_id})


def _throttled(error: TooManyAttempts) -> Problem:
    return Problem(
        429,
        detail="Too many attempts; try again later.",
        type_uri=PROBLEM_TYPE_BASE + "too-many-attempts",
        headers={"Retry-After": str(error.retry_after)},
    )


@router.put("/me/password", response_model=TokensOut)
def change_password(body: PasswordChangeIn, request: Request, who: CurrentPrincipal) -> TokensOut:
    """Every other session's refresh family is revoked; this one continues with the new
    family's tokens in the answer (the caller's old refresh token stops working)."""
    _allow_self(request, who, "identity.password.change")
    try:
        tokens = passwords.change_password(
            deps.context(request),
            who.tenant,
            who.account_id,
            list(who.amr),
            body.current_password,
            body.new_password,
            deps.metadata(request, who.account_id),
        )
    except TooManyAttempts as error:
        raise _throttled(error) from error
    return TokensOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


@router.delete("/me/sessions")
def sign_out_everywhere(request: Request, who: CurrentPrincipal) -> dict[str, int]:
    """Revoke every refresh family of the account, this one included. Access tokens already
    issued are not recalled: they run out by themselves (15 minutes at most by default)."""
    _allow_self(request, who, "identity.session.revoke_all")
    revoked = families.sign_out_everywhere(
        deps.context(request), who.tenant, who.account_id, deps.metadata(request, who.account_id)
    )
    return {"revoked_families": revoked}


@router.post("/me/totp/replacement", status_code=201)
def replace_totp(request: Request, who: CurrentPrincipal) -> dict[str, str]:
    """A new authenticator in place of the enrolled one; confirm it at /me/totp/confirm."""
    _allow_self(request, who, "identity.totp.replace")
    enrolment = second_factor.start_replacement(
        deps.context(request), who.tenant, who.account_id, deps.metadata(request, who.account_id)
    )
    return {"secret": enrolment.secret, "otpauth_uri": enrolment.otpauth_uri}


@router.post("/me/recovery-codes", status_code=201)
def renew_recovery_codes(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    _allow_self(request, who, "identity.recovery_codes.renew")
    codes = second_factor.renew_recovery_codes(
        deps.context(request), who.tenant, who.account_id, deps.metadata(request, who.account_id)
    )
    return {"recovery_codes": codes}


@router.post("/password-resets", status_code=202)
def request_password_reset(body: PasswordResetRequestIn, request: Request) -> dict[str, str]:
    """The same answer, in about the same time, whether or not the email is registered."""
    try:
        passwords.request_reset(
            deps.context(request),
            body.tenant,
            body.email,
            deps.client_address(request),
            deps.metadata(request, "anonymous"),
        )
    except TooManyAttempts as error:
        raise _throttled(error) from error
    return {"detail": "If the address has an account, a reset link is on its way."}


@router.post("/password-resets/{token}", status_code=204)
def reset_password(token: ResetToken, body: PasswordResetIn, request: Request) -> Response:
    try:
        passwords.complete_reset(
            deps.context(request),
            token,
            body.new_password,
            deps.metadata(request, "anonymous"),
        )
    except passwords.ResetLinkRefused as error:
        slug, detail = (
            ("reset-link-used", "This reset link has already been used.")
            if error.used
            else ("reset-link-expired", "This reset link has expired or is not known.")
        )
        raise Problem(410, detail=detail, type_uri=PROBLEM_TYPE_BASE + slug) from error
    return Response(status_code=204)
