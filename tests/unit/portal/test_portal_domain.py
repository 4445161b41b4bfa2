"""The portal's pure parts: session timeouts, the pending sign-in, redirects, CSRF comparison,
the refusal messages, and the stack's view of the portal (its env, its tools)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from snp_platform import keywrap
from snp_portal.adapters.identity import Refused
from snp_portal.domain import sessions
from snp_portal.entrypoints.routes_sign_in import _refusal_message
from snp_portal.entrypoints.security import CSP, csrf_ok
from snp_portal.entrypoints.web import safe_next
from snp_portal.settings import PortalSettings
from snp_stack import toolbox, webtools
from snp_stack.ports import Ports
from snp_stack.stack import Stack

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
IDLE, ABSOLUTE = timedelta(minutes=30), timedelta(hours=12)


def test_a_session_expires_when_idle_or_too_old() -> None:
    fresh = sessions.start(NOW)
    assert not fresh.signed_in
    assert not fresh.expired(NOW + timedelta(minutes=29), IDLE, ABSOLUTE)
    assert fresh.expired(NOW + timedelta(minutes=31), IDLE, ABSOLUTE)
    kept_busy = fresh
    for minutes in range(20, 12 * 60, 20):
        kept_busy = kept_busy.touched(NOW + timedelta(minutes=minutes))
    assert not kept_busy.expired(NOW + timedelta(hours=11, minutes=59), IDLE, ABSOLUTE)
    assert kept_busy.expired(NOW + timedelta(hours=12, minutes=1), IDLE, ABSOLUTE)


def test_session_ids_and_csrf_tokens_are_random_and_long() -> None:
    made = {sessions.new_secret() for _ in range(100)}
    assert len(made) == 100 and all(len(s) >= 43 for s in made)
    one = sessions.start(NOW)
    assert one.session_id != one.csrf_token


def test_a_sealed_session_value_opens_only_in_its_own_row() -> None:
    keys = keywrap.ConfiguredKeks.from_config(keywrap.generate_config("portal1"))
    sealed = keys.seal(b"refresh-token", b"portal-session:tokens:s1")
    assert b"refresh-token" not in sealed
    assert keys.open(sealed, b"portal-session:tokens:s1") == b"refresh-token"
    with pytest.raises(keywrap.DecryptionFailed):
        keys.open(sealed, b"portal-session:tokens:s2")
    with pytest.raises(keywrap.DecryptionFailed):
        keys.open(sealed)  # nor without its context, as a data key would be
    other = keywrap.ConfiguredKeks.from_config(keywrap.generate_config("portal1"))
    with pytest.raises(keywrap.DecryptionFailed):
        other.open(sealed, b"portal-session:tokens:s1")


@pytest.mark.parametrize(
    ("raw", "wanted"),
    [
        (None, "/home"),
        ("", "/home"),
        ("/account", "/account"),
        ("/groups/1?x=2", "/groups/1?x=2"),
        ("//evil.example/", "/home"),
        ("https://evil.example/", "/home"),
        ("/\\evil.example", "/home"),
        ("javascript:alert(1)", "/home"),
    ],
)
def test_only_paths_on_this_site_are_followed(raw: str | None, wanted: str) -> None:
    assert safe_next(raw) == wanted


def test_csrf_tokens_compare_exactly() -> None:
    assert csrf_ok("abc", "abc")
    assert not csrf_ok("abc", "abd")
    assert not csrf_ok("abc", None)
    assert not csrf_ok(None, "abc")
    assert not csrf_ok("abc", ["abc"])


def test_the_csp_allows_no_inline_script_and_no_framing() -> None:
    policy = CSP.format(nonce="N")
    assert "script-src 'self' 'nonce-N'" in policy
    assert "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy


@pytest.mark.parametrize(
    ("refused", "field", "text", "status"),
    [
        (Refused("password"), "password", "email address or password is not right", 401),
        (Refused("second_factor"), "code", "The code is not right", 401),
        (Refused("throttled", 61), "password", "Try again in 2 minutes", 429),
        (Refused("throttled", 1), "password", "Try again in 1 minute.", 429),
        (Refused("suspended"), "email", "Ask your force administrator", 403),
        (Refused("unavailable"), "email", "not working right now", 503),
    ],
)
def test_each_refusal_has_its_message(refused: Refused, field: str, text: str, status: int) -> None:
    got_field, message, got_status = _refusal_message(refused, with_code=False)
    assert (got_field, got_status) == (field, status) and text in message


def test_the_cookie_is_host_prefixed_only_when_secure() -> None:
    assert PortalSettings(cookie_secure=True).cookie_name == "__Host-snp_session"
    assert PortalSettings(cookie_secure=False).cookie_name == "snp_session"
    assert PortalSettings().cookie_secure  # secure unless configured off


def test_the_portal_gets_base_urls_and_no_platform_secrets(tmp_path: Path) -> None:
    ports = Ports(1, 2, 3, 4, {"identity": (8001, 50051), "portal": (8000, 0)})
    stack = Stack(tmp_path, ports, env={})
    stack.database_url = "postgresql://snp:pw@127.0.0.1:1/postgres"
    env = stack.service_env("portal")
    assert env["SNP_IDENTITY_BASE_URL"] == "http://127.0.0.1:8001"
    assert "SNP_PORTAL_BASE_URL" not in env
    assert "snp_portal" in env["DATABASE_URL"]
    assert env["SNP_COOKIE_SECURE"] == "false"
    assert env["SNP_ASSETS_DIR"].endswith("node_modules")
    assert not any(k in env for k in ("SNP_KEKS", "SNP_BLIND_INDEX_KEY", "SNP_SERVICE_SIGNING_KEY"))
    # ...and no service is told of a portal gRPC target, since it has none.
    assert "SNP_PORTAL_GRPC_TARGET" not in stack.service_env("identity")


def test_make_tools_knows_the_npm_packages_and_chromium() -> None:
    names = [tool.name for tool in toolbox.catalogue()]
    assert "npm" in names and "chromium" in names
    home = webtools.npm_home()
    assert home.name.startswith("npm-") and len(home.name) == len("npm-") + 16
    assert webtools.chromium_path() == Path("/usr/bin/chromium")


def test_the_npm_pins_are_exact() -> None:
    import json

    package = json.loads((Path(webtools._portal_dir()) / "package.json").read_text())
    assert package["dependencies"]["govuk-frontend"] == "6.3.0"
    assert all(v[0].isdigit() for v in package["dependencies"].values()), "pinned, no ranges"


def test_links_in_messaging_s_mails_point_at_the_portal(tmp_path: Path) -> None:
    ports = Ports(
        1, 2, 3, 4, {"identity": (8001, 50051), "messaging": (8004, 50054), "portal": (8123, 0)}
    )
    stack = Stack(tmp_path, ports, env={})
    stack.database_url = "postgresql://snp:pw@127.0.0.1:1/postgres"
    env = stack.service_env("messaging")
    assert env["SNP_PORTAL_BASE_URL"] == "http://127.0.0.1:8123"
    assert "SNP_DOCUMENTS_BASE_URL" not in env and "SNP_PUBLIC_BASE_URL" not in env
