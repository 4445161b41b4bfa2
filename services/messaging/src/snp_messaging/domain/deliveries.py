"""Deliveries: one per recipient and channel, with the outcome of each attempt decided here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PENDING = "pending"  # recorded, waiting to be put on the delivery topic (or a retry's turn)
    QUEUED = "queued"  # on the delivery topic for a worker
    SENT = "sent"  # the provider accepted it
    FAILED = "failed"  # given up: retries exhausted or a permanent error
    BOUNCED = "bounced"  # the address was refused as undeliverable
    # Never attempted, on purpose: a follow-up's copy for an account erased since the original
    # (there is no one left to tell, and no address to fail on).
    SKIPPED = "skipped"


# Why a fallback text (domain/fallback.py) was never attempted: the member has no phone number.
NO_PHONE_FOR_FALLBACK = "no phone number for the fallback text"

FINAL = frozenset({Status.SENT, Status.FAILED, Status.BOUNCED, Status.SKIPPED})
# A message's deliveries counted by status, in the order the APIs list them.
COUNTED = ("pending", "held", "queued", "sent", "failed", "bounced", "skipped")


class Verdict(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # temporary: try again later
    BOUNCED = "bounced"  # permanent, the address is bad
    FAILED = "failed"  # permanent, something else (no address, refused content)


@dataclass(frozen=True)
class Attempt:
    """A channel's answer for one delivery attempt."""

    verdict: Verdict
    detail: str = ""
    provider_reference: str = ""


@dataclass(frozen=True)
class Next:
    """What to record after an attempt."""

    status: Status
    retry_in_seconds: float = 0.0
    marks_contact: bool = False


def after_attempt(
    attempt: Attempt, attempts_made: int, max_attempts: int, base_backoff: float, cap: float
) -> Next:
    """The delivery's next state: retries back off exponentially; a permanent failure (or the
    last retry) marks the contact as having a delivery problem."""
    if attempt.verdict is Verdict.SENT:
        return Next(Status.SENT)
    if attempt.verdict is Verdict.BOUNCED:
        return Next(Status.BOUNCED, marks_contact=True)
    if attempt.verdict is Verdict.RETRY and attempts_made < max_attempts:
        return Next(Status.PENDING, min(cap, base_backoff * 2 ** (attempts_made - 1)))
    return Next(Status.FAILED, marks_contact=True)


def plain_reason(status: str, last_error: str) -> str:
    """Why a delivery did not arrive, in a word or two a reader without the provider's detail
    may see (a provider's error can quote the address it refused): "" while none is known."""
    if status == Status.BOUNCED:
        return "bounced"
    if status == Status.SKIPPED:
        return "no address" if last_error == NO_PHONE_FOR_FALLBACK else "account erased"
    if status != Status.FAILED:
        return ""
    if last_error == "account erased":
        return "account erased"
    if last_error.startswith("no ") and last_error.endswith(" address on the account"):
        return "no address"
    return "failed"
