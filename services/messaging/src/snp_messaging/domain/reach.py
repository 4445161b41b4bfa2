"""Who a message reaches, and on which channels: decided from the audience's members and their
preferences, without any I/O.

Every member of the audience gets the message in their inbox. It is also sent, once on each
channel they chose, unless it is below their minimum priority; a member who never set
preferences gets email for everything, and one who chose no channels gets the inbox only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from snp_messaging.domain.messages import Priority
from snp_messaging.domain.preferences import DEFAULT, Preferences


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member of the audience, with their preferences (None: they never set any)."""

    account_id: str
    preferences: Preferences | None = None


@dataclass(frozen=True)
class Reach:
    """The inbox entries and deliveries a message makes, each member and channel once."""

    inbox: tuple[str, ...]
    deliveries: tuple[tuple[str, str], ...]  # (account id, channel)


def channels_for(preferences: Preferences | None, priority: Priority) -> tuple[str, ...]:
    """The channels a message of this priority goes out on to a member (none: inbox only)."""
    chosen = DEFAULT if preferences is None else preferences
    return tuple(dict.fromkeys(chosen.channels)) if chosen.wants(priority) else ()


def reach(priority: Priority, candidates: Iterable[Candidate]) -> Reach:
    """Each member once (the first time they are listed), in the order given."""
    inbox: dict[str, None] = {}
    deliveries: list[tuple[str, str]] = []
    for candidate in candidates:
        if candidate.account_id in inbox:
            continue
        inbox[candidate.account_id] = None
        deliveries.extend(
            (candidate.account_id, channel)
            for channel in channels_for(candidate.preferences, priority)
        )
    return Reach(tuple(inbox), tuple(deliveries))
