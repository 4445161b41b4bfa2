"""Resetting a staff member's authenticator over identity's HTTP API, against the real stack:
one tenant admin asks, the one who asked is refused the approval, a second one approves; the
account's authenticator, recovery codes and sessions are gone, it enrols again at its next
sign-in, and the mail in the sink reads as the person would want. Also: a force never loses
its last active administrator (revoking, disabling, erasing; two admins at once)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from snp.identity.v1 import events_pb2 as pb
from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.messaging_helpers import body_text, mails_to, wait_until
from tests.integration.portal_people import Account, make_account, new_force, portal_url
from tests.integration.security_helpers import bearer, events_of, identity_api

pytestmark = pytest.mark.integration
PROBLEM = "urn:snp:problem:"


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@pytest.fixture(scope="module")
def api(stack: Any) -> Iterator[httpx.Client]:
    with identity_api(stack) as client:
        yield client


def signed_in(api: httpx.Client, who: Account) -> dict[str, Any]:
    body = {"tenant": who.tenant, "email": who.email, "password": PASSWORD}
    answer = api.post("/sessions", json=body | {"code": who.next_code()})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def token(api: httpx.Client, who: Account) -> dict[str, str]:
    return bearer(signed_in(api, who)["access_token"])


def ask(api: httpx.Client, by: dict[str, str], target: Account, reason: str) -> httpx.Response:
    path = f"/accounts/{target.account_id}/authenticator-resets"
    return api.post(path, headers=by, json={"reason": reason})


def decide(
    api: httpx.Client, by: dict[str, str], target: Account, request_id: str, verb: str
) -> httpx.Response:
    path = f"/accounts/{target.account_id}/authenticator-resets/{request_id}/{verb}"
    return api.post(path, headers=by)


def listed(api: httpx.Client, by: dict[str, str], target: Account) -> dict[str, Any]:
    accounts = api.get("/accounts", headers=by).json()["accounts"]
    return next(a for a in accounts if a["account_id"] == target.account_id)


def test_a_second_admin_approves_and_the_account_starts_again_from_its_password(
    stack: Any, ctx: IdentityContext, api: httpx.Client
) -> None:
    force = new_force(ctx)
    first = make_account(ctx, force, "tenant_admin", "Avery First")
    second = make_account(ctx, force, "tenant_admin", "Blake Second")
    officer = make_account(ctx, force, "police", "PC Lost Phone")
    asker, approver = token(api, first), token(api, second)
    session = signed_in(api, officer)

    # An admin never resets their own authenticator.
    own = ask(api, asker, first, "I lost my phone")
    assert own.status_code == 403 and own.json()["type"] == PROBLEM + "own-account"
    assert "Another administrator" in own.json()["detail"]
    for empty in ("", "   "):
        assert ask(api, asker, officer, empty).status_code == 422

    asked = ask(api, asker, officer, "Lost phone and recovery codes, confirmed in person")
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    assert asked.json()["expires_at"] - time.time() == pytest.approx(24 * 3600, abs=120)
    waiting = listed(api, approver, officer)["authenticator_reset"]
    assert waiting["requested_by"] == first.account_id
    assert waiting["reason"] == "Lost phone and recovery codes, confirmed in person"
    again = ask(api, approver, officer, "twice")
    assert again.status_code == 409 and "already waiting" in again.json()["detail"]
    # The reason is sealed in the event, never in plain text.
    (requested,) = [
        e
        for e in events_of(ctx, force, officer.account_id)
        if isinstance(e, pb.AuthenticatorResetRequested)
    ]
    assert b"Lost phone" not in requested.reason and requested.requested_by == first.account_id

    # The one who asked is refused, and nothing changes.
    mine = decide(api, asker, officer, request_id, "approve")
    assert mine.status_code == 403 and mine.json()["type"] == PROBLEM + "own-reset-request"
    assert listed(api, approver, officer)["authenticator"] == "enrolled"
    police = token(api, make_account(ctx, force, "police", "PC Bystander"))
    assert decide(api, police, officer, request_id, "approve").status_code == 403
    refreshed = api.post("/sessions/refresh", json={"refresh_token": session["refresh_token"]})
    assert refreshed.status_code == 200
    session = refreshed.json()

    approved = decide(api, approver, officer, request_id, "approve")
    assert approved.status_code == 204, approved.text
    assert decide(api, approver, officer, request_id, "approve").status_code == 409
    row = listed(api, approver, officer)
    assert row["authenticator"] == "none" and row["authenticator_reset"] is None

    # Every session ended: the refresh token at once, the access token within seconds.
    gone = api.post("/sessions/refresh", json={"refresh_token": session["refresh_token"]})
    assert gone.status_code == 401
    old = bearer(session["access_token"])
    wait_until(lambda: api.get("/me", headers=old).status_code == 401, 30, "the old token refused")
    # The old authenticator no longer signs in; the password alone gives an enrolment session.
    with_code = {"tenant": force, "email": officer.email, "password": PASSWORD}
    fresh = api.post("/sessions", json=with_code)
    assert fresh.status_code == 200, fresh.text
    enrolling = bearer(fresh.json()["access_token"])
    assert api.get("/me", headers=enrolling).json()["totp_enrolled"] is False
    assert api.get("/me", headers=enrolling).json()["recovery_codes_left"] == 0
    assert api.post("/me/totp", headers=enrolling).status_code == 201
    types = [type(e).__name__ for e in events_of(ctx, force, officer.account_id)]
    assert "AuthenticatorResetApproved" in types
    after = types[types.index("AuthenticatorResetApproved") :]
    assert after.count("RefreshFamilyRevoked") >= 1

    # The mail, read as the officer would read it: what, when, what next, whom to tell.
    wait_until(lambda: bool(mails_to(stack.maildir, officer.email)), what="the reset mail")
    (mail,) = mails_to(stack.maildir, officer.email)
    assert mail["Subject"] == "Your authenticator app was reset"
    text = body_text(mail)
    assert "Two administrators of Test Constabulary reset the authenticator app" in text
    assert time.strftime("%-d %B %Y", time.gmtime()) in text
    assert "signed out everywhere" in text and "set up an authenticator app again" in text
    assert "If you did not ask your force for this, tell your force's administrators" in text
    assert f"{portal_url(stack)}/sign-in" in text
    assert PASSWORD not in text and request_id not in text


def test_a_rejected_reset_changes_nothing_and_another_force_cannot_touch_it(
    ctx: IdentityContext, api: httpx.Client
) -> None:
    force = new_force(ctx)
    first = make_account(ctx, force, "tenant_admin", "Casey First")
    second = make_account(ctx, force, "tenant_admin", "Drew Second")
    auditor = make_account(ctx, force, "auditor", "Sam Auditor")
    member = make_account(ctx, force, "member", "Rita Resident")
    asker, decider = token(api, first), token(api, second)
    assert ask(api, asker, member, "not staff").status_code == 403
    request_id = ask(api, asker, auditor, "New phone").json()["request_id"]

    stranger = make_account(ctx, new_force(ctx), "tenant_admin", "Other Force Admin")
    theirs = token(api, stranger)
    assert ask(api, theirs, auditor, "x").status_code == 404
    assert decide(api, theirs, auditor, request_id, "approve").status_code == 404

    rejected = decide(api, decider, auditor, request_id, "reject")
    assert rejected.status_code == 204, rejected.text
    row = listed(api, decider, auditor)
    assert row["authenticator"] == "enrolled" and row["authenticator_reset"] is None
    assert decide(api, decider, auditor, request_id, "approve").status_code == 409
    signed_in(api, auditor)  # the authenticator still works
    types = [type(e).__name__ for e in events_of(ctx, force, auditor.account_id)]
    assert types.count("AuthenticatorResetRejected") == 1
    assert "AuthenticatorResetApproved" not in types


def test_a_force_never_loses_its_last_active_administrator(
    ctx: IdentityContext, api: httpx.Client
) -> None:
    force = new_force(ctx)
    only = make_account(ctx, force, "tenant_admin", "Only Admin")
    mine = token(api, only)
    path = f"/accounts/{only.account_id}"
    for refused in (
        api.request("DELETE", path + "/roles", headers=mine, json={"role": "tenant_admin"}),
        api.post(path + "/disable", headers=mine),
        api.delete(path, headers=mine),
    ):
        assert refused.status_code == 409, refused.text
        assert refused.json()["type"] == PROBLEM + "last-administrator"
        assert "last active administrator" in refused.json()["detail"]
    assert listed(api, mine, only)["status"] == "active"
    before = len(events_of(ctx, force, only.account_id))

    # With a second administrator, one may go; the one left may not.
    other = make_account(ctx, force, "tenant_admin", "Other Admin")
    assert api.post(f"/accounts/{other.account_id}/disable", headers=mine).status_code == 204
    assert api.post(path + "/disable", headers=mine).status_code == 409
    assert len(events_of(ctx, force, only.account_id)) == before  # the refusals recorded nothing


def test_two_admins_removing_each_other_at_once_leave_one(
    ctx: IdentityContext, api: httpx.Client
) -> None:
    force = new_force(ctx)
    one = make_account(ctx, force, "tenant_admin", "Admin One")
    two = make_account(ctx, force, "tenant_admin", "Admin Two")
    tokens = {one.account_id: token(api, one), two.account_id: token(api, two)}

    def disable_the_other(pair: tuple[Account, Account]) -> int:
        who, other = pair
        path = f"/accounts/{other.account_id}/disable"
        return api.post(path, headers=tokens[who.account_id]).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = sorted(pool.map(disable_the_other, [(one, two), (two, one)]))
    # One disabled the other; the other was refused (the last-admin rule under the force's
    # lock, or its own token already revoked): never both.
    assert codes[0] == 204 and codes[1] in (401, 409), codes
    with ctx.pool.connection() as conn:
        active = conn.execute(
            "SELECT count(*) FROM accounts WHERE tenant = %s AND status = 'active'"
            " AND 'tenant_admin' = ANY(roles)",
            (force,),
        ).fetchone()
    assert active is not None and active[0] == 1
