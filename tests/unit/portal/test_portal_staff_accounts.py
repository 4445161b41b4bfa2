"""Force administration's words: each change offered only where the account's state allows it,
and each confirmation naming what will happen."""

from __future__ import annotations

from typing import Any

from snp_portal.domain import staff_accounts as words


def account(**changes: Any) -> dict[str, Any]:
    return {
        "account_id": "a1",
        "kind": "police",
        "display_name": "PC Jo Patel",
        "email": "jo@met.example",
        "status": "active",
        "holds_role": True,
        "authenticator": "enrolled",
        "last_sign_in_at": None,
        "awaiting_set_up": False,
        **changes,
    }


def slugs(found: dict[str, Any]) -> list[str]:
    return [c.slug for c in words.changes(found)]


def test_each_change_is_offered_only_where_the_state_allows_it() -> None:
    assert slugs(account()) == ["revoke-role", "disable", "erase"]
    assert slugs(account(holds_role=False)) == ["grant-role", "disable", "erase"]
    assert slugs(account(status="disabled")) == ["erase"]
    assert slugs(account(status="erased")) == []
    assert words.change("grant-role", account()) is None
    assert words.change("promote", account()) is None


def test_a_confirmation_names_the_person_the_kind_and_what_will_happen() -> None:
    revoke = words.change("revoke-role", account())
    assert revoke is not None
    assert revoke.heading == "Revoke PC Jo Patel's role as police officer?"
    assert "PC Jo Patel will no longer act as a police officer." in revoke.consequences
    grant = words.change("grant-role", account(kind="auditor", holds_role=False))
    assert grant is not None and "act as an auditor again" in grant.consequences[0]
    erase = words.change("erase", account())
    assert erase is not None and erase.consequences[-1] == "This cannot be undone."


def test_states_in_words() -> None:
    assert words.sign_in_state(account(awaiting_set_up=True)) == "Set-up link sent"
    assert words.sign_in_state(account(status="disabled", awaiting_set_up=True)) == "Disabled"
    assert words.authenticator_state(account(authenticator="pending")) == "Not set up yet"
    assert words.role_state(account(holds_role=False)) == "Revoked"
    assert words.kind_name("tenant_admin") == "Force administrator"
    assert set(words.CREATABLE) == {
        "police",
        "tenant_admin",
        "area_coordinator",
        "auditor",
        "partner",
    }
    assert words.kind_name("partner") == "Partner agency officer"
