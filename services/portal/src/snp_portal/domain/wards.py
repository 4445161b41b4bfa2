"""The force's wards as the pages name them. Membership's groups and ward panels carry each
ward's ONS code and its name, so the portal derives code -> name from them (there is no ward
directory); a ward no visible group names is shown by its code. Pure: groups in, words out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")  # engagement's and messaging's ward codes


def wards_of(groups: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The wards (code -> name) of `groups`, by name: the wards messaging and engagement
    know, since they learn them from the same groups."""
    wards: dict[str, str] = {}
    for group in groups:
        if group.get("ward_code"):
            wards.setdefault(group["ward_code"], group.get("ward_name") or group["ward_code"])
    return dict(sorted(wards.items(), key=lambda kv: (kv[1].lower(), kv[0])))


def panel_wards(groups: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The wards of the ward panels among `groups`: the wards engagement takes events and
    reports for."""
    return wards_of(g for g in groups if g.get("group_type") == "ward_panel")


def ward_words(code: str, names: Mapping[str, str]) -> str:
    """`Elm Park (E05000777)`; a ward no group names by its code alone."""
    name = names.get(code)
    return f"{name} ({code})" if name and name != code else code


def codes_typed(text: str) -> list[str]:
    """The ward codes typed, separated by commas or spaces, in capitals, each once."""
    codes = [c.upper() for c in re.split(r"[\s,;]+", text.strip()) if c]
    return list(dict.fromkeys(codes))


def is_code(text: str) -> bool:
    return bool(_CODE.match(text))


def picked(chosen: Iterable[str], typed: str) -> list[str]:
    """The wards a form picked: the ticked ones, then the codes typed for wards not listed,
    each once."""
    return list(
        dict.fromkeys([c.strip().upper() for c in chosen if c.strip()] + codes_typed(typed))
    )


def split_known(codes: Iterable[str], known: Mapping[str, str]) -> tuple[set[str], str]:
    """The codes as the form shows them again: those it lists (ticked) and the others (typed
    in the box for wards not listed)."""
    codes = list(codes)
    return {c for c in codes if c in known}, ", ".join(c for c in codes if c not in known)
