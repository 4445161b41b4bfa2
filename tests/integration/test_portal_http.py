"""The portal over plain HTTP against the real stack: CSRF, headers, no-store, the session
cookie, timeouts, sign-out revoking the refresh family, and the sign-in messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from snp_identity.service_layer.sessions import address_key
from snp_platform import keywrap
from snp_stack import secrets
from tests.integration.membership_people import PASSWORD, identity_client, identity_context
from tests.integration.portal_people import (
    Account,
    csrf_of,
    make_account,
    new_force,
    portal_client,
    post_password,
    sign_in,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def people(stack: Any) -> Iterator[dict[str, Account]]:
    with identity_context(stack) as ctx:
        tenant = new_force(ctx)
        yield {
            "member": make_account(ctx, tenant, "member", "Alex Resident"),
            "police": make_account(ctx, tenant, "police", "PC Sam Patel"),
            "throttled": make_account(ctx, tenant, "member", "Jo Typo"),
        }


def _keys(stack: Any) -> keywrap.ConfiguredKeks:
    return keywrap.ConfiguredKeks.from_config(secrets.portal_session_keys(stack.state_dir, {}))


def _session_row(stack: Any, session_id: str) -> tuple[Any, ...] | None:
    """(refresh token, last seen), the token opened as the portal opens it."""
    with psycopg.connect(stack.service_database_url("portal")) as conn:
        row = conn.execute(
            "SELECT tokens_sealed, last_seen_at FROM portal_sessions WHERE session_id = %s",
            (session_id,),
        ).fetchone()
    if row is None or row[0] is None:
        return row
    opened = _keys(stack).open(bytes(row[0]), f"portal-session:tokens:{session_id}".encode())
    return json.loads(opened)["refresh"], row[1]


def test_pages_carry_the_security_headers(stack: Any) -> None:
    with portal_client(stack) as portal:
        page = portal.get("/sign-in")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-store"
    assert "text/html" in page.headers["content-type"]


def test_the_session_cookie_is_http_only_and_lax(stack: Any) -> None:
    with portal_client(stack) as portal:
        page = portal.get("/sign-in")
    cookie = page.headers["set-cookie"]
    # Plain loopback HTTP: Secure is off, so the name has no __Host- prefix (docs/portal.md).
    assert cookie.startswith("snp_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_assets_are_served_without_the_crown_or_gds_transport(stack: Any) -> None:
    with portal_client(stack) as portal:
        css = portal.get("/assets/govuk-frontend.min.css")
        js = portal.get("/assets/govuk-frontend.min.js")
        own = portal.get("/assets/portal.css")
        crest = portal.get("/assets/images/govuk-crest.svg")
        font = portal.get("/assets/fonts/bold-b542beb274-v2.woff2")
    assert css.status_code == 200 and "govuk-header" in css.text
    assert js.status_code == 200 and own.status_code == 200
    assert "font-family: Arial" in own.text
    assert crest.status_code == 404 and font.status_code == 404
    assert "text/html" in crest.headers["content-type"]  # an HTML page, never JSON


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_form_without_the_csrf_token_is_refused(stack: Any, token: str | None) -> None:
    with portal_client(stack) as portal:
        portal.get("/sign-in")
        data = {"tenant": "x", "email": "a@b.example", "password": "p"}
        if token:
            data["csrf_token"] = token
        refused = portal.post("/sign-in", data=data)
        sign_out = portal.post("/sign-out", data=data)
    assert refused.status_code == 403 and sign_out.status_code == 403
    assert "Your request could not be accepted" in refused.text
    assert "text/html" in refused.headers["content-type"]


def test_a_member_signs_in_sees_their_account_and_signs_out(
    stack: Any, people: dict[str, Account]
) -> None:
    member = people["member"]
    with portal_client(stack) as portal:
        signed = sign_in(portal, member)
        assert signed.status_code == 303 and signed.headers["location"] == "/account"
        page = portal.get("/account")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert "Alex Resident" in page.text and member.email in page.text
        # The force by its display name (identity's public tenant endpoint), not its slug.
        assert "Member" in page.text and "Test Constabulary" in page.text
        assert "access_token" not in page.text and "eyJ" not in page.text  # no token leaks
        session_id = portal.cookies["snp_session"]
        row = _session_row(stack, session_id)
        assert row is not None
        refresh_token = row[0]
        out = portal.post("/sign-out", data={"csrf_token": csrf_of(page)})
        assert out.status_code == 303 and out.headers["location"] == "/signed-out"
        assert _session_row(stack, session_id) is None
        after = portal.get("/account")
        assert after.status_code == 303
    with identity_client(stack) as identity:
        refused = identity.post("/sessions/refresh", json={"refresh_token": refresh_token})
    assert refused.status_code == 401, "sign-out must revoke the refresh family"


def test_signing_in_gives_a_new_session_id(stack: Any, people: dict[str, Account]) -> None:
    with portal_client(stack) as portal:
        portal.get("/sign-in")
        before = portal.cookies["snp_session"]
        sign_in(portal, people["member"])
        assert portal.cookies["snp_session"] != before
        assert _session_row(stack, before) is None


def test_staff_sign_in_needs_the_code_and_a_wrong_code_is_told(
    stack: Any, people: dict[str, Account]
) -> None:
    police = people["police"]
    with portal_client(stack) as portal:
        asked = post_password(portal, police)
        assert asked.status_code == 303
        code_page = portal.get(asked.headers["location"])
        assert "Enter the code from your authenticator app" in code_page.text
        wrong = portal.post(
            asked.headers["location"], data={"csrf_token": csrf_of(code_page), "code": "000000"}
        )
        assert wrong.status_code == 401
        assert "There is a problem" in wrong.text
        assert "The code is not right or has already been used" in wrong.text
        right = portal.post(
            asked.headers["location"],
            data={"csrf_token": csrf_of(wrong), "code": police.next_code()},
        )
        assert right.status_code == 303
        page = portal.get("/account")
        assert "PC Sam Patel" in page.text and "Police officer" in page.text


def test_a_wrong_password_and_throttling_are_told(stack: Any, people: dict[str, Account]) -> None:
    who = people["throttled"]
    with portal_client(stack) as portal:
        wrong = post_password(portal, who, "not the password")
        assert wrong.status_code == 401
        assert "The force, email address or password is not right" in wrong.text
        assert 'value="' + who.email + '"' in wrong.text  # kept; the password is not
        answer = wrong
        for _ in range(6):
            answer = post_password(portal, who, "not the password")
            if answer.status_code == 429:
                break
        assert answer.status_code == 429, answer.text
        assert int(answer.headers["retry-after"]) >= 1
        assert "Too many attempts to sign in. Try again in" in answer.text


def test_empty_fields_get_the_error_summary(stack: Any) -> None:
    with portal_client(stack) as portal:
        form = portal.get("/sign-in")
        answer = portal.post("/sign-in", data={"csrf_token": csrf_of(form)})
    assert answer.status_code == 400
    assert "There is a problem" in answer.text
    for message in ("Enter the short name", "Enter your email address", "Enter your password"):
        assert message in answer.text
    assert 'href="#tenant"' in answer.text
    assert "<title>Error: Sign in" in answer.text


def test_no_session_goes_to_sign_in_and_back(stack: Any, people: dict[str, Account]) -> None:
    with portal_client(stack) as portal:
        sent = portal.get("/account")
        assert sent.status_code == 303
        assert sent.headers["location"] == "/sign-in?next=%2Faccount"
        done = sign_in(portal, people["member"], next_url="/account")
        assert done.headers["location"] == "/account"
        evil = portal.get("/sign-in", params={"next": "//evil.example/"})
        assert evil.headers["location"] == "/home"  # signed in: no open redirect


@pytest.mark.parametrize(
    ("kind", "console"), [("member", "/account"), ("police", "/police/groups")]
)
def test_signing_in_without_a_page_to_return_to_lands_on_the_kinds_home(
    stack: Any, people: dict[str, Account], kind: str, console: str
) -> None:
    with portal_client(stack) as portal:
        done = sign_in(portal, people[kind], next_url="")
        assert done.status_code == 303 and done.headers["location"] == "/home"
        landed = portal.get("/home")
        assert landed.status_code == 303 and landed.headers["location"] == console
        assert portal.get(console).status_code == 200


@pytest.mark.parametrize("column", ["last_seen_at", "created_at"])
def test_an_expired_session_goes_to_sign_in(
    stack: Any, people: dict[str, Account], column: str
) -> None:
    """Idle (30 minutes) and absolute (12 hours) timeouts: the session's clock is wound back in
    the portal's own database, then the next request finds it expired."""
    with portal_client(stack) as portal:
        sign_in(portal, people["member"])
        session_id = portal.cookies["snp_session"]
        row = _session_row(stack, session_id)
        assert row is not None
        back = datetime.now(UTC) - timedelta(hours=13)
        with psycopg.connect(stack.service_database_url("portal")) as conn:
            conn.execute(
                f"UPDATE portal_sessions SET {column} = %s WHERE session_id = %s",
                (back, session_id),
            )
        sent = portal.get("/account")
        assert sent.status_code == 303
        assert sent.headers["location"] == "/sign-in?next=%2Faccount"
        assert _session_row(stack, session_id) is None
    with identity_client(stack) as identity:
        refused = identity.post("/sessions/refresh", json={"refresh_token": row[0]})
    assert refused.status_code == 401, "an expired session's refresh family is revoked"


def test_an_expiring_access_token_is_refreshed_on_the_server(
    stack: Any, people: dict[str, Account]
) -> None:
    with portal_client(stack) as portal:
        sign_in(portal, people["member"])
        session_id = portal.cookies["snp_session"]
        before = _session_row(stack, session_id)
        assert before is not None
        with psycopg.connect(stack.service_database_url("portal")) as conn:
            conn.execute(
                "UPDATE portal_sessions SET access_expires_at = now() WHERE session_id = %s",
                (session_id,),
            )
        page = portal.get("/account")
        assert page.status_code == 200 and "Alex Resident" in page.text
        after = _session_row(stack, session_id)
        assert after is not None and after[0] != before[0], "the refresh token rotated"
    with identity_client(stack) as identity:
        reused = identity.post("/sessions/refresh", json={"refresh_token": before[0]})
    assert reused.status_code == 401  # the rotated-out token is no good any more


def test_the_sessions_table_holds_no_token_and_a_moved_one_does_not_open(
    stack: Any, people: dict[str, Account]
) -> None:
    """Tokens are sealed and bound to their row: a copy of the table signs nobody in, and a
    sealed value pasted into another session's row reads as signed out."""
    with portal_client(stack) as first, portal_client(stack) as second:
        sign_in(first, people["member"])
        sign_in(second, people["member"])
        first_id, second_id = first.cookies["snp_session"], second.cookies["snp_session"]
        row = _session_row(stack, first_id)
        assert row is not None
        with psycopg.connect(stack.service_database_url("portal")) as conn:
            dumped = conn.execute(
                "SELECT string_agg(t::text, '') FROM portal_sessions t"
            ).fetchone()
            assert dumped is not None and row[0] not in dumped[0]
            assert row[0].encode().hex() not in dumped[0]
            conn.execute(
                "UPDATE portal_sessions SET tokens_sealed = "
                "(SELECT tokens_sealed FROM portal_sessions WHERE session_id = %s) "
                "WHERE session_id = %s",
                (first_id, second_id),
            )
        assert first.get("/account").status_code == 200
        moved = second.get("/account")
        assert moved.status_code == 303 and moved.headers["location"].startswith("/sign-in")


def test_a_sign_in_waiting_for_its_code_is_sealed_and_expires(
    stack: Any, people: dict[str, Account]
) -> None:
    police = people["police"]
    with portal_client(stack) as portal:
        asked = post_password(portal, police)
        assert asked.status_code == 303 and asked.headers["location"].startswith("/sign-in/code")
        session_id = portal.cookies["snp_session"]
        with psycopg.connect(stack.service_database_url("portal")) as conn:
            held = conn.execute(
                "SELECT pending_sealed, pending_until FROM portal_sessions WHERE session_id = %s",
                (session_id,),
            ).fetchone()
            assert held is not None and held[0] is not None
            assert PASSWORD.encode() not in bytes(held[0])
            assert held[1] - datetime.now(UTC) <= timedelta(minutes=5)
            conn.execute(
                "UPDATE portal_sessions SET pending_until = now() WHERE session_id = %s",
                (session_id,),
            )
        late = portal.get(asked.headers["location"])
        assert late.status_code == 303 and late.headers["location"].startswith("/sign-in?")


def test_identity_throttles_by_the_browser_s_address_not_the_portal_s(
    stack: Any, people: dict[str, Account]
) -> None:
    """The portal passes the browser's address on (X-Forwarded-For, which identity believes from
    the portal's address only): each person's failures count against their own address."""
    browser = "203.0.113.7"
    with identity_context(stack) as ctx:
        key = f"addr:{address_key(ctx, browser)}"
        portal_key = f"addr:{address_key(ctx, '127.0.0.1')}"
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        before = conn.execute(
            "SELECT failures FROM sign_in_failures WHERE throttle_key = %s", (portal_key,)
        ).fetchone()
    with portal_client(stack) as portal:
        portal.headers["X-Forwarded-For"] = browser
        wrong = post_password(portal, people["member"], "not the password")
        assert wrong.status_code == 401
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        counted = conn.execute(
            "SELECT failures FROM sign_in_failures WHERE throttle_key = %s", (key,)
        ).fetchone()
        after = conn.execute(
            "SELECT failures FROM sign_in_failures WHERE throttle_key = %s", (portal_key,)
        ).fetchone()
    assert counted is not None and counted[0] == 1
    assert after == before, "the portal's own address was not charged"
