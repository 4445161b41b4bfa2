"""A member's consent changes in words on their disclosures page (domain/consent_wording.py)."""

from __future__ import annotations

from snp_portal.domain.consent_wording import consent_words


def _change(on: bool, kind: str, name: str = "Camden Council ASB team") -> dict[str, object]:
    provider = {"id": "a1", "name": name, "kind": kind}
    return {"provider": provider, "on": on, "changed_at": "2026-12-03T10:00:00+00:00"}


def test_a_change_says_what_the_member_chose_about_whom() -> None:
    assert consent_words(_change(False, "council")) == {
        "changed_at": "2026-12-03T10:00:00+00:00",
        "words": "You turned off alerts from Camden Council ASB team (council)",
    }
    assert consent_words(_change(True, "fire", "London Fire Brigade"))["words"] == (
        "You turned on alerts from London Fire Brigade (fire and rescue)"
    )


def test_an_unknown_kind_names_the_provider_alone() -> None:
    assert consent_words(_change(True, "other", "Friends of the Park"))["words"] == (
        "You turned on alerts from Friends of the Park"
    )
