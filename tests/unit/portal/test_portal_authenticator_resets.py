"""How the force administration pages put an authenticator reset: who asked, what waits, what
each step will do, and identity's refusals in words."""

from __future__ import annotations

from typing import Any

from snp_portal.domain import authenticator_resets as resets


def account(account_id: str, name: str, **more: Any) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "display_name": name,
        "status": "active",
        "authenticator": "enrolled",
        "authenticator_reset": None,
        **more,
    }


def waiting(request_id: str, by: str, at: str) -> dict[str, str]:
    return {"request_id": request_id, "requested_by": by, "requested_at": at, "reason": "lost"}


def test_the_reset_is_offered_only_where_identity_would_take_it() -> None:
    assert resets.can_be_asked(account("a", "Jo"))
    assert not resets.can_be_asked(account("a", "Jo", status="disabled"))
    assert not resets.can_be_asked(account("a", "Jo", authenticator="none"))
    assert not resets.can_be_asked(account("a", "Jo", authenticator_reset=waiting("r", "b", "t")))


def test_waiting_resets_name_who_asked_oldest_first() -> None:
    later = account("p1", "PC Later", authenticator_reset=waiting("r1", "adm", "2026-05-03T10"))
    first = account("p2", "PC First", authenticator_reset=waiting("r2", "gone", "2026-05-02T10"))
    admin = account("adm", "Avery Admin")
    found = resets.waiting([later, admin, first])
    assert [(a["display_name"], by) for a, by in found] == [
        ("PC First", "An administrator"),  # the one who asked was erased since
        ("PC Later", "Avery Admin"),
    ]


def test_each_step_says_what_will_happen_and_posts_to_its_own_address() -> None:
    officer = account("p1", "PC Jo", authenticator_reset=waiting("r1", "adm", "t"))
    asked = resets.ask(officer)
    assert asked.slug == "reset-authenticator" and "PC Jo" in asked.heading
    assert any("another administrator" in c for c in asked.consequences)
    approve = resets.approve(officer, "Avery Admin")
    assert approve.slug == "reset-authenticator/r1/approve"
    assert approve.consequences[0] == "Avery Admin asked for it."
    assert any("signed out everywhere" in c for c in approve.consequences)
    reject = resets.reject(officer, "Avery Admin")
    assert reject.slug == "reset-authenticator/r1/reject"
    assert "nothing about PC Jo's account changes" in reject.consequences[0]


def test_identitys_refusals_are_put_in_words() -> None:
    assert "another administrator" in resets.refusal_words("own-reset-request", "x")
    assert "last active administrator" in resets.refusal_words("last-administrator", "x")
    assert resets.refusal_words("something-new", "The service's own words") == (
        "The service's own words"
    )
