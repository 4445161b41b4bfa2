"""Who a message reaches, and on which channels: decided from the audience's members and their
preferences, without any I/O.

Every member of the audience gets the message in their inbox. It is also sent, once on each
channel they chose, unless it is below their minimum priority; a member who never set
preferences gets email for everything, and one who chose no channels gets the inbox only.
An alert from an information provider (a ward or force audience) reaches only the members who
have that provider on (domain/providers.py); why, is kept with each inbox entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from snp_messaging.domain.messages import Priority
from snp_messaging.domain.preferences import DEFAULT, Preferences
from snp_messaging.domain.providers import consent_basis


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member of the audience, with their preferences (None: they never set any) and their
    choice for the alert's provider (None: they never chose)."""

    account_id: str
    preferences: Preferences | None = None
    consent: bool | None = None


@dataclass(frozen=True)
class Reach:
    """The inbox entries and deliveries a message makes, each member and channel once."""

    inbox: tuple[str, ...]
    deliveries: tuple[tuple[str, str], ...]  # (account id, channel)
    reasons: tuple[str, ...] = ()  # beside `inbox`: a Basis for an alert, else ''


def channels_for(preferences: Preferences | None, priority: Priority) -> tuple[str, ...]:
    """The channels a message of this priority goes out on to a member (none: inbox only)."""
    chosen = DEFAULT if preferences is None else preferences
    return tuple(dict.fromkeys(chosen.channels)) if chosen.wants(priority) else ()


def reach(
    priority: Priority, candidates: Iterable[Candidate], provider_on_by_default: bool | None = None
) -> Reach:
    """Each member once (the first time they are listed), in the order given. With
    `provider_on_by_default` (an alert from a provider: whether the force has it on for members
    who never chose), only members who have the provider on."""
    inbox: dict[str, str] = {}
    deliveries: list[tuple[str, str]] = []
    for candidate in candidates:
        if candidate.account_id in inbox:
            continue
        basis = ""
        if provider_on_by_default is not None:
            consented = consent_basis(candidate.consent, provider_on_by_default)
            if consented is None:
                continue
            basis = consented.value
        inbox[candidate.account_id] = basis
        deliveries.extend(
            (candidate.account_id, channel)
            for channel in channels_for(candidate.preferences, priority)
        )
    reasons = tuple(inbox.values()) if provider_on_by_default is not None else ()
    return Reach(tuple(inbox), tuple(deliveries), reasons)
