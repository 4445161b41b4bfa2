"""Who a message reaches, and on which channels: decided from the audience's members and their
preferences, without any I/O.

Every member of the audience gets the message in their inbox. It is also sent, once on each
channel they chose, unless it is below their minimum priority; a member who never set
preferences gets email for everything, and one who chose no channels gets the inbox only.
An alert from an information provider (a ward or force audience) reaches only the members who
have that provider on (domain/providers.py); why, is kept with each inbox entry.

A member with a digest gets a message below its threshold in the digest instead of on its
own (`digested`); one with quiet hours gets a non-urgent message that falls in them when they
end (`held`, with the instant). Urgent messages always go at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
    held: tuple[tuple[str, str, datetime], ...] = ()  # (account id, channel, until)
    digested: tuple[str, ...] = ()  # account ids whose digest lists the message

    @property
    def sends(self) -> int:
        """Deliveries made now or later (a digest's mail is counted with the digest)."""
        return len(self.deliveries) + len(self.held)


def channels_for(preferences: Preferences | None, priority: Priority) -> tuple[str, ...]:
    """The channels a message of this priority goes out on to a member (none: inbox only)."""
    chosen = DEFAULT if preferences is None else preferences
    return tuple(dict.fromkeys(chosen.channels)) if chosen.wants(priority) else ()


def reach(
    priority: Priority,
    candidates: Iterable[Candidate],
    provider_on_by_default: bool | None = None,
    now: datetime | None = None,
) -> Reach:
    """Each member once (the first time they are listed), in the order given. With
    `provider_on_by_default` (an alert from a provider: whether the force has it on for members
    who never chose), only members who have the provider on. With `now` (the send's time),
    digests and quiet hours apply."""
    inbox: dict[str, str] = {}
    deliveries: list[tuple[str, str]] = []
    held: list[tuple[str, str, datetime]] = []
    digested: list[str] = []
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
        channels = channels_for(candidate.preferences, priority)
        chosen = candidate.preferences
        if now is None or chosen is None or not channels:
            deliveries.extend((candidate.account_id, channel) for channel in channels)
        elif chosen.for_digest(priority):
            digested.append(candidate.account_id)
        elif (until := chosen.held_until(priority, now)) is not None:
            held.extend((candidate.account_id, channel, until) for channel in channels)
        else:
            deliveries.extend((candidate.account_id, channel) for channel in channels)
    reasons = tuple(inbox.values()) if provider_on_by_default is not None else ()
    return Reach(tuple(inbox), tuple(deliveries), reasons, tuple(held), tuple(digested))
