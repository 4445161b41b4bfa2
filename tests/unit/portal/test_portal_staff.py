"""Which menus a signed-in account sees, from its access token's claims."""

from __future__ import annotations

import jwt
import pytest

from snp_portal.adapters.token_claims import claims_of
from snp_portal.entrypoints import pages


def token(kind: str, amr: list[str]) -> str:
    claims = {"sub": "a1", "tenant": "met", "kind": kind, "amr": amr, "exp": 1}
    return jwt.encode(claims, "a key only this test knows, long enough for HS256", "HS256")


def test_the_claims_say_the_kind_and_whether_a_second_factor_was_used() -> None:
    police = claims_of(token("police", ["pwd", "otp", "mfa"]))
    assert (police.account_id, police.tenant, police.kind, police.mfa) == (
        "a1",
        "met",
        "police",
        True,
    )
    assert claims_of(token("police", ["pwd"])).mfa is False


def test_a_staff_kind_with_a_console_sees_it_and_its_account_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console = (("/audit", "Audit log", "audit"),)
    monkeypatch.setattr(pages, "STAFF_NAVIGATION", {"auditor": console})
    shown = [(i["href"], i["active"]) for i in pages.navigation("audit", True, "auditor")]
    assert shown == [("/audit", True), ("/account", False)]
    members = [i["href"] for i in pages.navigation(None, True, "member")]
    assert members == ["/groups", "/inbox", "/find", "/reports", "/account"]
    assert [i["href"] for i in pages.navigation(None, False)] == ["/find", "/sign-in"]


def test_a_token_that_is_no_jwt_has_no_kind_and_no_second_factor() -> None:
    unread = claims_of("opaque")
    assert (unread.kind, unread.mfa) == ("", False)
