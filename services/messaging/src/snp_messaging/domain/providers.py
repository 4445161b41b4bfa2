"""Information providers and a member's consent to hear from them, decided without any I/O.

A force's providers are the police (the force itself), the Neighbourhood Watch association and
each of its active partner agencies. An alert to a ward or the force comes from one of them and
reaches a member only if they have that provider on: their own choice, else the force's
default for it, else the platform's default for its kind. A group's own messages are not
provider alerts: the member joined the group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from snp_messaging.domain.messages import MessageRuleBroken

POLICE = "police"
NEIGHBOURHOOD_WATCH = "neighbourhood_watch"
WATCH_ASSOCIATION_NAME = "Neighbourhood Watch association"
# What a force starts with, as Neighbourhood Alert's information providers do.
DEFAULT_ON_KINDS = frozenset({POLICE, NEIGHBOURHOOD_WATCH, "council", "fire"})


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: str  # police | neighbourhood_watch | an agency's kind (council, housing, fire, ...)


def providers_of(force_name: str, agencies: Iterable[Provider]) -> list[Provider]:
    """The force's providers, the police and the association first, then its agencies."""
    return [
        Provider(POLICE, force_name, POLICE),
        Provider(NEIGHBOURHOOD_WATCH, WATCH_ASSOCIATION_NAME, NEIGHBOURHOOD_WATCH),
        *agencies,
    ]


def default_on(provider: Provider, force_defaults: Mapping[str, bool]) -> bool:
    """On for members who never chose: the force's decision, else the kind's default."""
    return force_defaults.get(provider.id, provider.kind in DEFAULT_ON_KINDS)


class Basis(StrEnum):
    """Why an alert reached a member (kept on their inbox entry)."""

    CHOSEN = "chosen"  # they turned the provider on themselves
    DEFAULT = "default"  # they never chose; the force has it on


def consent_basis(choice: bool | None, on_by_default: bool) -> Basis | None:
    """Why an alert from the provider reaches the member, or None when it must not."""
    if choice is None:
        return Basis.DEFAULT if on_by_default else None
    return Basis.CHOSEN if choice else None


def _known(ids: Iterable[str], providers: Mapping[str, Provider]) -> list[str]:
    return [f"unknown provider {i!r}" for i in ids if i not in providers]


def check_choices(
    wanted: list[tuple[str, bool]], providers: Mapping[str, Provider]
) -> dict[str, bool]:
    """A member's choices by provider id, or MessageRuleBroken naming every unknown provider
    (another force's agency is as unknown as a made-up id) and any provider listed twice."""
    ids = [i for i, _ in wanted]
    problems = _known(ids, providers)
    problems += [f"provider {i!r} is listed twice" for i in dict.fromkeys(ids) if ids.count(i) > 1]
    if problems:
        raise MessageRuleBroken(problems)
    return dict(wanted)


def changed_choices(
    current: Mapping[str, bool], wanted: Mapping[str, bool], providers: Mapping[str, Provider]
) -> list[tuple[Provider, bool]]:
    """The choices that differ from what the member chose before (a first choice always
    counts, even one equal to the default: from now on it is theirs)."""
    return [(providers[i], on) for i, on in wanted.items() if current.get(i) != on]


def check_defaults(on: list[str], providers: Mapping[str, Provider]) -> dict[str, bool]:
    """The force's defaults for every provider it has now (on if listed, else off), or
    MessageRuleBroken naming every unknown provider."""
    problems = _known(on, providers)
    if problems:
        raise MessageRuleBroken(problems)
    return {i: i in on for i in providers}


def reason(basis: str, provider_name: str, area: str) -> str:
    """The inbox's words for why an alert reached the member ('' if it was not an alert)."""
    if basis == Basis.CHOSEN:
        return f"You get alerts from {provider_name} for {area} because you chose to"
    if basis == Basis.DEFAULT:
        return (
            f"You get alerts from {provider_name} for {area} because your force turns them on"
            " by default"
        )
    return ""


def member_reason(group_name: str) -> str:
    """The inbox's words for a group's message: the member joined the group."""
    return f"You get messages from {group_name} because you are a member of it"
