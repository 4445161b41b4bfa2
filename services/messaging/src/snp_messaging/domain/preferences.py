"""A member's messaging preferences: channels, areas opted into, minimum priority."""

from __future__ import annotations

from dataclasses import dataclass

from snp_messaging.domain.messages import MessageRuleBroken, Priority

CHANNELS = ("email", "sms")
MAX_AREAS = 50


@dataclass(frozen=True)
class Preferences:
    channels: tuple[str, ...] = ("email",)
    areas: tuple[str, ...] = ()
    minimum_priority: Priority = Priority.LOW

    def wants(self, priority: Priority) -> bool:
        """Whether a message of this priority goes out on the member's channels."""
        return priority.rank >= self.minimum_priority.rank


DEFAULT = Preferences()


def check_preferences(
    channels: list[str], areas: list[str], minimum_priority: Priority, known_wards: set[str]
) -> Preferences:
    """Valid preferences (deduplicated, in order), or MessageRuleBroken with every problem."""
    problems = [f"unknown channel {c!r}" for c in channels if c not in CHANNELS]
    problems += [f"unknown ward {a!r}" for a in areas if a not in known_wards]
    if len(set(areas)) > MAX_AREAS:
        problems.append(f"at most {MAX_AREAS} areas")
    if problems:
        raise MessageRuleBroken(problems)
    return Preferences(
        tuple(dict.fromkeys(channels)), tuple(dict.fromkeys(areas)), minimum_priority
    )
