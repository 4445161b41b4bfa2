"""Force administration over plain HTTP through the portal, against the real stack: a tenant
admin lists the force's staff (no residents), creates a police account whose owner chooses a
password from the mailed set-up link and must enrol before any staff page, revokes and grants
the role, disables and erases behind confirmation pages; bad input changes nothing; other kinds
see no console and their forged calls are refused by identity itself."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pyotp
import pytest

from snp_identity.adapters.event_streams import account_stream
from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.messaging_helpers import body_text, mails_to, wait_until
from tests.integration.portal_people import (
    Account,
    csrf_of,
    make_account,
    new_force,
    portal_client,
    portal_url,
    post_password,
    sign_in,
)
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration
NEW_PASSWORD = "copper harbour violin 77"


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@pytest.fixture(scope="module")
def force(ctx: IdentityContext) -> str:
    return new_force(ctx)


@pytest.fixture(scope="module")
def admin(ctx: IdentityContext, force: str) -> Account:
    return make_account(ctx, force, "tenant_admin", "Avery Admin")


@pytest.fixture(scope="module")
def console(stack: Any, admin: Account) -> Iterator[httpx.Client]:
    with portal_client(stack) as client:
        assert sign_in(client, admin, "/force-admin").status_code == 303
        yield client


def post_form(client: httpx.Client, page: str, **fields: str) -> httpx.Response:
    form = client.get(page)
    assert form.status_code == 200, form.text
    return client.post(page, data={"csrf_token": csrf_of(form), **fields})


def confirm_token(page: httpx.Response, action: str) -> str:
    """The CSRF token of the form posting to `action` (not the header's sign-out form)."""
    form = page.text.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert found, form
    return found.group(1)


def row_of(page: str, account_id: str) -> str:
    return page.split(f'data-account="{account_id}"', 1)[1].split("</tr>", 1)[0]


def identity_api(stack: Any) -> httpx.Client:
    port = stack.ports.services["identity"][0]
    return httpx.Client(base_url=f"http://127.0.0.1:{port}/identity", timeout=30)


def token_of(stack: Any, who: Account) -> str:
    with identity_api(stack) as api:
        answer = api.post(
            "/sessions",
            json={
                "tenant": who.tenant,
                "email": who.email,
                "password": PASSWORD,
                "code": who.next_code(),
            },
        )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_the_list_shows_the_forces_staff_with_their_state_and_no_residents(
    ctx: IdentityContext, force: str, admin: Account, console: httpx.Client
) -> None:
    assert console.get("/force-admin").headers["location"] == "/force-admin/staff"
    police = make_account(ctx, force, "police", "PC Jo Patel")
    auditor = make_account(ctx, force, "auditor", "Sam Auditor")
    resident = make_account(ctx, force, "member", "Rita Resident")
    elsewhere = make_account(ctx, new_force(ctx), "police", "PC Other Force")
    page = console.get("/force-admin/staff")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    for who in (admin, police, auditor):
        assert f'data-account="{who.account_id}"' in page.text
    for who in (resident, elsewhere):
        assert who.account_id not in page.text and who.name not in page.text
    row = row_of(page.text, police.account_id)
    assert "PC Jo Patel" in row and police.email in row and "Police officer" in row
    assert 'data-role="held"' in row and 'data-authenticator="enrolled"' in row
    assert "Never" in row  # made by the test, never signed in
    assert "Never" not in row_of(page.text, admin.account_id)  # the console's own sign-in
    assert "Staff accounts" in page.text.split('aria-label="Menu"', 1)[-1][:2000]


def test_an_admin_creates_a_police_account_its_owner_sets_up_by_the_mailed_link_and_enrols(
    stack: Any, ctx: IdentityContext, force: str, console: httpx.Client
) -> None:
    email = f"pc-new-{uuid.uuid4().hex[:6]}@{force}.example"
    made = post_form(
        console, "/force-admin/staff/new", name="PC Morgan New", email=email, kind="police"
    )
    assert made.status_code == 303, made.text
    listed = console.get(made.headers["location"])
    assert "PC Morgan New&#39;s account is created" in listed.text
    account_id = made.headers["location"].rsplit("=", 1)[1]
    row = row_of(listed.text, account_id)
    assert "Set-up link sent" in row and 'data-authenticator="none"' in row

    wait_until(lambda: bool(mails_to(stack.maildir, email)), what="the set-up mail")
    (mail,) = mails_to(stack.maildir, email)
    assert mail["Subject"] == "Set up your staff account"
    found = re.search(re.escape(portal_url(stack)) + r"(/set-up/[A-Za-z0-9_-]+)", body_text(mail))
    assert found, body_text(mail)
    link = found.group(1)

    with portal_client(stack) as owner:
        short = post_form(owner, link, new_password="short", confirm_password="short")
        assert short.status_code == 400 and "govuk-error-summary" in short.text
        chosen = post_form(owner, link, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
        assert chosen.status_code == 303 and chosen.headers["location"] == "/set-up/done"
        again = post_form(owner, link, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
        assert again.status_code == 410 and "already been used" in again.text

        person = Account(account_id, "police", force, email, "PC Morgan New", None)
        signed = post_password(owner, person, NEW_PASSWORD, "/staff/second-factor")
        assert signed.status_code == 303, signed.text
        told = owner.get("/staff/second-factor")
        assert "Set up your authenticator app" in told.text
        assert owner.get("/account").status_code == 200
        start = owner.get("/account/authenticator")
        scan = owner.post("/account/authenticator", data={"csrf_token": csrf_of(start)})
        assert scan.status_code == 303
        scan_page = owner.get("/account/authenticator")
        secret = re.search(r'id="secret-key">([^<]+)<', scan_page.text)
        assert secret, scan_page.text
        totp = pyotp.TOTP("".join(html.unescape(secret.group(1)).split()))
        confirmed = owner.post(
            "/account/authenticator/confirm",
            data={"csrf_token": csrf_of(scan_page), "code": totp.now()},
        )
        assert confirmed.headers["location"] == "/account/recovery-codes"

    row = row_of(console.get("/force-admin/staff").text, account_id)
    assert 'data-authenticator="enrolled"' in row and "Set-up link sent" not in row
    assert "Never" not in row
    history, _version = ctx.streams.load(account_stream(force, account_id))
    reasons = [getattr(e, "reason", None) for e in history if type(e).__name__ == "PasswordChanged"]
    assert reasons == ["set_up"]


def test_bad_input_is_told_and_creates_nothing(
    force: str, admin: Account, console: httpx.Client
) -> None:
    before = console.get("/force-admin/staff").text.count("data-account=")
    empty = post_form(console, "/force-admin/staff/new", name="", email="", kind="")
    assert empty.status_code == 400
    for text in ("Enter the person&#39;s full name", "Select what kind of staff account it is"):
        assert text in empty.text
    operator = post_form(
        console, "/force-admin/staff/new", name="Op", email=f"op@{force}.example", kind="operator"
    )
    assert operator.status_code == 400
    taken = post_form(
        console, "/force-admin/staff/new", name="Twin", email=admin.email, kind="police"
    )
    assert taken.status_code == 422
    assert "already has an account with the force" in taken.text
    assert 'value="Twin"' in taken.text
    no_csrf = console.post(
        "/force-admin/staff/new",
        data={"name": "X", "email": f"x@{force}.example", "kind": "police"},
    )
    assert no_csrf.status_code == 403
    assert console.get("/force-admin/staff").text.count("data-account=") == before


def test_revoke_grant_disable_and_erase_each_say_what_will_happen_first(
    stack: Any, ctx: IdentityContext, force: str, admin: Account, console: httpx.Client
) -> None:
    officer = make_account(ctx, force, "police", "PC Lee Leave")
    page = f"/force-admin/staff/{officer.account_id}"
    account = console.get(page)
    assert account.status_code == 200 and "PC Lee Leave" in account.text
    assert f"{page}/revoke-role" in account.text and f"{page}/grant-role" not in account.text

    confirm = console.get(f"{page}/revoke-role")
    assert "will no longer act as a police officer" in confirm.text
    assert "signed out everywhere within a minute" in confirm.text
    token = confirm_token(confirm, f"{page}/revoke-role")
    revoked = console.post(f"{page}/revoke-role", data={"csrf_token": token})
    assert revoked.status_code == 303
    shown = console.get(revoked.headers["location"])
    assert "The role is revoked." in shown.text and f"{page}/grant-role" in shown.text
    with identity_api(stack) as api:
        refused = api.post(
            "/sessions",
            json={
                "tenant": force,
                "email": officer.email,
                "password": PASSWORD,
                "code": officer.next_code(),
            },
        )
        assert refused.status_code == 403, refused.text
    assert console.get(f"{page}/revoke-role").status_code == 404  # nothing left to revoke

    confirm = console.get(f"{page}/grant-role")
    assert "will act as a police officer again" in confirm.text
    token = confirm_token(confirm, f"{page}/grant-role")
    granted = console.post(f"{page}/grant-role", data={"csrf_token": token})
    assert granted.status_code == 303
    assert 'data-role="held"' in row_of(console.get("/force-admin/staff").text, officer.account_id)

    confirm = console.get(f"{page}/disable")
    assert "never be able to sign in with this account again" in confirm.text
    assert console.post(f"{page}/disable", data={}).status_code == 403  # no CSRF token
    disabled = console.post(
        f"{page}/disable", data={"csrf_token": confirm_token(confirm, confirm.url.path)}
    )
    assert disabled.status_code == 303
    assert 'data-status="disabled"' in row_of(
        console.get("/force-admin/staff").text, officer.account_id
    )

    confirm = console.get(f"{page}/erase")
    assert "destroyed for good" in confirm.text and "This cannot be undone." in confirm.text
    erased = console.post(
        f"{page}/erase", data={"csrf_token": confirm_token(confirm, confirm.url.path)}
    )
    assert erased.status_code == 303 and erased.headers["location"].endswith("?erased=1")
    assert officer.account_id not in console.get("/force-admin/staff").text
    assert console.get(page).status_code == 404

    own = console.get(f"/force-admin/staff/{admin.account_id}")
    assert "This is your own account" in own.text and "/revoke-role" not in own.text
    assert console.get(f"/force-admin/staff/{admin.account_id}/disable").status_code == 404


def test_other_kinds_see_no_console_and_their_forged_calls_are_refused_by_identity(
    stack: Any, ctx: IdentityContext, force: str, admin: Account
) -> None:
    target = make_account(ctx, force, "police", "PC Target")
    for kind in ("police", "auditor", "area_coordinator", "member"):
        who = make_account(ctx, force, kind, f"Someone {kind}")
        with portal_client(stack) as client:
            sign_in(client, who)
            assert client.get("/force-admin/staff").status_code == 403
            assert client.get(f"/force-admin/staff/{target.account_id}/erase").status_code == 403
            assert "/force-admin/staff" not in client.get("/account").text
    operator = make_account(ctx, "platform", "operator", "Council IT")
    with portal_client(stack) as client:
        sign_in(client, operator)
        assert client.get("/force-admin/staff").status_code == 403

    police = make_account(ctx, force, "police", "PC Forger")
    bearer = {"Authorization": f"Bearer {token_of(stack, police)}"}
    path = f"/accounts/{target.account_id}"
    with identity_api(stack) as api:
        listed = api.get("/accounts", headers=bearer)
        assert listed.status_code == 403
        assert "action_not_allowed_for_kind" in refusal_reasons(stack, listed)
        body = {"display_name": "Fake", "email": f"fake@{force}.example", "kind": "police"}
        assert api.post("/accounts", headers=bearer, json=body).status_code == 403
        revoke = api.request("DELETE", path + "/roles", headers=bearer, json={"role": "police"})
        assert revoke.status_code == 403
        assert api.post(path + "/disable", headers=bearer).status_code == 403
        assert api.delete(path, headers=bearer).status_code == 403
        # An administrator of another force is refused too: no decision crosses tenants.
        stranger = make_account(ctx, new_force(ctx), "tenant_admin", "Other Admin")
        theirs = {"Authorization": f"Bearer {token_of(stack, stranger)}"}
        assert api.post(path + "/disable", headers=theirs).status_code in (403, 404)
        listed = api.get("/accounts", headers=theirs).json()["accounts"]
        assert target.account_id not in {a["account_id"] for a in listed}
    with portal_client(stack) as client:
        sign_in(client, admin)
        row = row_of(client.get("/force-admin/staff").text, target.account_id)
        assert 'data-role="held"' in row and 'data-status="active"' in row
