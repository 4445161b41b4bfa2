"""Sign-in, refresh, sign-out and the published signing keys."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.schemas import RefreshIn, SignInIn, TokensOut
from snp_identity.service_layer import sessions
from snp_identity.service_layer.keys import keyring
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem

router = APIRouter(prefix="/identity", tags=["sessions"])


@router.post("/sessions", response_model=TokensOut)
def sign_in(body: SignInIn, request: Request) -> TokensOut:
    """Password, then the authenticator code once one is enrolled."""
    ctx = deps.context(request)
    try:
        tokens = sessions.sign_in(
            ctx,
            body.tenant,
            body.email,
            body.password,
            body.code,
            deps.client_address(request),
            deps.metadata(request, "anonymous"),
        )
    except sessions.TooManyAttempts as error:
        raise Problem(
            429,
            detail="Too many failed sign-ins; try again later.",
            type_uri=PROBLEM_TYPE_BASE + "too-many-attempts",
            headers={"Retry-After": str(error.retry_after)},
        ) from error
    except sessions.SignInRefused as error:
        if error.suspended:
            raise Problem(
                403,
                detail="This account's role has been revoked; ask your force administrator.",
                type_uri=PROBLEM_TYPE_BASE + "role-revoked",
            ) from error
        if error.agency_retired:
            raise Problem(
                403,
                detail="The agency this account acts for has been retired; ask the force"
                " administrator.",
                type_uri=PROBLEM_TYPE_BASE + "agency-retired",
            ) from error
        if error.code_reused:
            raise Problem(
                401,
                detail="That code has already been used; wait for the next one.",
                type_uri=PROBLEM_TYPE_BASE + "second-factor-reused",
            ) from error
        if error.second_factor_required:
            raise Problem(
                401,
                detail="Enter the code from your authenticator app.",
                type_uri=PROBLEM_TYPE_BASE + "second-factor-required",
            ) from error
        raise Problem(
            401,
            detail="The email address or password is not right.",
            type_uri=PROBLEM_TYPE_BASE + "sign-in-refused",
        ) from error
    return TokensOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        recovery_codes_left=tokens.recovery_codes_left,
    )


@router.post("/sessions/refresh", response_model=TokensOut)
def refresh(body: RefreshIn, request: Request) -> TokensOut:
    try:
        tokens = sessions.refresh(
            deps.context(request), body.refresh_token, deps.metadata(request, "anonymous")
        )
    except sessions.RefreshRefused as error:
        raise Problem(
            401, detail="Sign in again.", type_uri=PROBLEM_TYPE_BASE + "refresh-refused"
        ) from error
    return TokensOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


@router.delete("/sessions/current", status_code=204)
def sign_out(body: RefreshIn, request: Request) -> Response:
    sessions.sign_out(
        deps.context(request), body.refresh_token, deps.metadata(request, "anonymous")
    )
    return Response(status_code=204)


@router.get("/.well-known/jwks.json")
def jwks(request: Request) -> JSONResponse:
    ctx = deps.context(request)
    document = keyring(ctx).jwks(ctx.clock(), ctx.access_lifetime)
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=60"})
