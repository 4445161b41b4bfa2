"""Identity's account-security endpoints against the real stack: change password, sign out
everywhere, reset a forgotten password by a single-use link, replace the authenticator, new
recovery codes, and a reused code told apart; each with its refusals and its events."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pyotp
import pytest

from snp.identity.v1 import events_pb2 as pb
from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.portal_people import Account, make_account, new_force
from tests.integration.security_helpers import (
    bearer,
    events_of,
    forget_address_throttles,
    identity_api,
    reset_tokens,
)

pytestmark = pytest.mark.integration
NEW_PASSWORD = "lantern orchard pebble 73"


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@pytest.fixture(scope="module")
def api(stack: Any) -> Iterator[httpx.Client]:
    with identity_api(stack) as client:
        yield client


@pytest.fixture(scope="module")
def tenant(ctx: IdentityContext) -> str:
    return new_force(ctx)


@pytest.fixture
def member(ctx: IdentityContext, tenant: str, stack: Any) -> Account:
    forget_address_throttles(stack)
    return make_account(ctx, tenant, "member", "Robin Fairweather")


def sign_in(api: httpx.Client, who: Account, password: str = PASSWORD, code: str = "") -> Any:
    body = {"tenant": who.tenant, "email": who.email, "password": password}
    return api.post("/sessions", json={**body, **({"code": code} if code else {})})


def tokens(api: httpx.Client, who: Account, password: str = PASSWORD) -> dict[str, Any]:
    answer = sign_in(api, who, password)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def refreshes(api: httpx.Client, refresh_token: str) -> bool:
    return api.post("/sessions/refresh", json={"refresh_token": refresh_token}).status_code == 200


def revocations(ctx: IdentityContext, who: Account, reason: str) -> int:
    return sum(
        1
        for e in events_of(ctx, who.tenant, who.account_id)
        if isinstance(e, pb.RefreshFamilyRevoked) and e.reason == reason
    )


def test_a_password_change_checks_both_passwords_and_ends_every_other_session(
    api: httpx.Client, ctx: IdentityContext, member: Account
) -> None:
    here, elsewhere = tokens(api, member), tokens(api, member)
    auth = bearer(here["access_token"])
    weak = api.put(
        "/me/password", headers=auth, json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert weak.status_code == 422 and weak.json()["type"] == "urn:snp:problem:invalid-input"
    assert "at least 12 characters" in weak.text
    named = {"current_password": PASSWORD, "new_password": "robin fairweather rules"}
    assert "your name" in api.put("/me/password", headers=auth, json=named).text
    wrong = api.put(
        "/me/password",
        headers=auth,
        json={"current_password": "not my password at all", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and wrong.json()["type"] == "urn:snp:problem:wrong-password"
    assert wrong.json()["errors"][0]["field"] == "current_password"
    assert refreshes(api, elsewhere["refresh_token"])  # nothing changed by the refusals
    elsewhere = tokens(api, member)

    changed = api.put(
        "/me/password",
        headers=auth,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert changed.status_code == 200, changed.text
    assert not refreshes(api, elsewhere["refresh_token"])
    assert not refreshes(api, here["refresh_token"])  # this session goes on with the new family
    assert refreshes(api, changed.json()["refresh_token"])
    assert sign_in(api, member).status_code == 401
    assert sign_in(api, member, NEW_PASSWORD).status_code == 200
    reasons = [
        e.reason
        for e in events_of(ctx, member.tenant, member.account_id)
        if isinstance(e, pb.PasswordChanged)
    ]
    assert reasons == ["changed"]
    assert revocations(ctx, member, "password_changed") >= 2


def test_wrong_current_passwords_are_throttled(api: httpx.Client, member: Account) -> None:
    auth = bearer(tokens(api, member)["access_token"])
    body = {"current_password": "a wrong guess here", "new_password": NEW_PASSWORD}
    statuses = [api.put("/me/password", headers=auth, json=body).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 422]
    throttled = api.put("/me/password", headers=auth, json=body)
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
    # Even the right password waits its turn: a guesser cannot tell which one was right.
    right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert api.put("/me/password", headers=auth, json=right).status_code == 429


def test_sign_out_everywhere_revokes_every_family_of_that_account_only(
    api: httpx.Client, ctx: IdentityContext, member: Account, tenant: str
) -> None:
    neighbour = make_account(ctx, tenant, "member", "Sam Neighbour")
    theirs = tokens(api, neighbour)
    one, two = tokens(api, member), tokens(api, member)
    ended = api.delete("/me/sessions", headers=bearer(one["access_token"]))
    assert ended.status_code == 200 and ended.json() == {"revoked_families": 2}
    assert not refreshes(api, one["refresh_token"]) and not refreshes(api, two["refresh_token"])
    assert refreshes(api, theirs["refresh_token"])
    # Access tokens already issued are not recalled: they run out by themselves.
    assert api.get("/me", headers=bearer(two["access_token"])).status_code == 200
    assert revocations(ctx, member, "signed_out_everywhere") == 2
    assert api.delete("/me/sessions").status_code == 401


def _ask_reset(api: httpx.Client, tenant: str, email: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = api.post("/password-resets", json={"tenant": tenant, "email": email})
    return answer, time.monotonic() - started


def test_a_reset_request_answers_the_same_whether_or_not_the_email_is_registered(
    api: httpx.Client, ctx: IdentityContext, member: Account, stack: Any
) -> None:
    real, real_took = _ask_reset(api, member.tenant, member.email.upper())
    unknown, unknown_took = _ask_reset(api, member.tenant, f"nobody-{uuid.uuid4().hex}@x.example")
    other_force, _ = _ask_reset(api, "no-such-force", member.email)
    assert real.status_code == unknown.status_code == other_force.status_code == 202
    assert real.json() == unknown.json() == other_force.json()
    assert real.headers.keys() - {"date", "x-correlation-id"} == unknown.headers.keys() - {
        "date",
        "x-correlation-id",
    }
    assert min(real_took, unknown_took) >= 0.3 and abs(real_took - unknown_took) < 0.2
    requested = [
        e
        for e in events_of(ctx, member.tenant, member.account_id)
        if isinstance(e, pb.PasswordResetRequested)
    ]
    assert len(requested) == 1 and len(requested[0].token) >= 40
    assert requested[0].expires_at - time.time() == pytest.approx(1800, abs=30)
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        stored = conn.execute(
            "SELECT token_hash FROM password_resets WHERE account_id = %s", (member.account_id,)
        ).fetchone()
    assert stored is not None and requested[0].token not in stored[0]  # only its hash is kept


def test_a_reset_link_works_once_and_ends_every_session(
    api: httpx.Client, ctx: IdentityContext, member: Account
) -> None:
    session = tokens(api, member)
    assert _ask_reset(api, member.tenant, member.email)[0].status_code == 202
    assert _ask_reset(api, member.tenant, member.email)[0].status_code == 202
    first, second = reset_tokens(ctx, member.tenant, member.account_id)
    weak = api.post(f"/password-resets/{second}", json={"new_password": "password1234"})
    assert weak.status_code == 422 and "too common" in weak.text
    assert refreshes(api, session["refresh_token"])  # the refusal changed nothing
    session = tokens(api, member)

    done = api.post(f"/password-resets/{second}", json={"new_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    assert not refreshes(api, session["refresh_token"])
    assert sign_in(api, member).status_code == 401
    assert sign_in(api, member, NEW_PASSWORD).status_code == 200
    for spent in (second, first):  # a new password spends every open link of the account
        again = api.post(f"/password-resets/{spent}", json={"new_password": NEW_PASSWORD + "x"})
        assert again.status_code == 410
        assert again.json()["type"] == "urn:snp:problem:reset-link-used"
    changed = [
        e
        for e in events_of(ctx, member.tenant, member.account_id)
        if isinstance(e, pb.PasswordChanged)
    ]
    assert [e.reason for e in changed] == ["reset"] and changed[0].reset_id
    assert revocations(ctx, member, "password_reset") >= 1


def test_an_expired_or_unknown_link_is_refused(
    api: httpx.Client, ctx: IdentityContext, member: Account, stack: Any
) -> None:
    _ask_reset(api, member.tenant, member.email)
    (token,) = reset_tokens(ctx, member.tenant, member.account_id)
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        conn.execute(
            "UPDATE password_resets SET expires_at = %s WHERE account_id = %s",
            (time.time() - 1, member.account_id),
        )
    for link in (token, "A" * 43):
        refused = api.post(f"/password-resets/{link}", json={"new_password": NEW_PASSWORD})
        assert refused.status_code == 410
        assert refused.json()["type"] == "urn:snp:problem:reset-link-expired"
    assert (
        api.post("/password-resets/short", json={"new_password": NEW_PASSWORD}).status_code == 422
    )
    assert sign_in(api, member).status_code == 200  # the old password still works


def test_reset_requests_are_limited_per_email_whether_registered_or_not(
    api: httpx.Client, ctx: IdentityContext, member: Account
) -> None:
    unknown = f"nobody-{uuid.uuid4().hex}@x.example"
    for email in (member.email, unknown):
        statuses = [_ask_reset(api, member.tenant, email)[0].status_code for _ in range(4)]
        assert statuses == [202, 202, 202, 429]
    assert len(reset_tokens(ctx, member.tenant, member.account_id)) == 3
    throttled = _ask_reset(api, member.tenant, member.email)[0]
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 3000


def test_reset_requests_are_limited_per_client_address(api: httpx.Client, stack: Any) -> None:
    forget_address_throttles(stack)
    statuses = [
        _ask_reset(api, "some-force", f"n{i}-{uuid.uuid4().hex[:6]}@x.example")[0].status_code
        for i in range(21)
    ]
    assert statuses == [202] * 20 + [429]
    forget_address_throttles(stack)


def test_a_lost_authenticator_is_replaced_after_a_recovery_code_sign_in(
    api: httpx.Client, ctx: IdentityContext, member: Account
) -> None:
    password_only = tokens(api, member)["access_token"]
    started = api.post("/me/totp", headers=bearer(password_only)).json()
    old = pyotp.TOTP(started["secret"])
    codes = api.post(
        "/me/totp/confirm", headers=bearer(password_only), json={"code": old.now()}
    ).json()["recovery_codes"]
    # A session from before the authenticator (password only) cannot swap it or mint codes.
    for path in ("/me/totp/replacement", "/me/recovery-codes"):
        refused = api.post(path, headers=bearer(password_only))
        assert refused.status_code == 403 and "mfa_required" in refused.json()["reasons"]

    recovered = sign_in(api, member, code=codes[0].upper().replace("-", " "))
    assert recovered.status_code == 200 and recovered.json()["recovery_codes_left"] == 9
    assert sign_in(api, member, code=codes[0]).json()["type"].endswith("second-factor-required")
    mfa = bearer(recovered.json()["access_token"])
    assert api.get("/me", headers=mfa).json()["recovery_codes_left"] == 9
    new = pyotp.TOTP(api.post("/me/totp/replacement", headers=mfa).json()["secret"])

    step = old.at(time.time() + 30)
    assert sign_in(api, member, code=step).status_code == 200  # the old one works until then
    reused = sign_in(api, member, code=step)
    assert reused.status_code == 401
    assert reused.json()["type"] == "urn:snp:problem:second-factor-reused"
    assert api.post("/me/totp/confirm", headers=mfa, json={"code": "000000"}).status_code == 422
    confirmed = api.post("/me/totp/confirm", headers=mfa, json={"code": new.now()})
    assert confirmed.status_code == 200 and len(confirmed.json()["recovery_codes"]) == 10
    assert sign_in(api, member, code=old.at(time.time() + 30)).status_code == 401
    assert sign_in(api, member, code=codes[1]).status_code == 401  # old codes went with it
    assert sign_in(api, member, code=new.at(time.time() + 30)).status_code == 200

    renewed = api.post("/me/recovery-codes", headers=mfa)
    assert renewed.status_code == 201
    assert sign_in(api, member, code=confirmed.json()["recovery_codes"][0]).status_code == 401
    assert sign_in(api, member, code=renewed.json()["recovery_codes"][0]).status_code == 200
    kinds = [type(e).__name__ for e in events_of(ctx, member.tenant, member.account_id)]
    assert kinds.count("RecoveryCodeUsed") == 2 and kinds.count("TotpReplaced") == 1
    assert kinds.count("RecoveryCodesRenewed") == 1
    assert kinds.index("TotpEnrolled") < kinds.index("TotpReplaced")
