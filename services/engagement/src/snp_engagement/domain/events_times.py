"""When an engagement event happens: given in Europe/London local time (what organisers and
residents read on a poster) or as ISO 8601 with an offset, and kept in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from snp_engagement.domain.rules import InvalidInput

LONDON = ZoneInfo("Europe/London")
LONGEST = timedelta(days=7)
FIRST_YEAR, LAST_YEAR = 2000, 2100  # an engagement day, not a festival: a typo in a date is refused


def utc_instant(text: str, what: str) -> datetime:
    """The instant `text` names, in UTC. A local time that the clocks skip (spring) does not
    exist, and one they pass twice (autumn) is ambiguous: both are refused rather than guessed,
    and an offset settles either."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} is not a date and time such as 2027-03-04T18:30") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        # Also keeps far-off years from overflowing when the offset is applied.
        raise InvalidInput(f"{what} is between the years {FIRST_YEAR} and {LAST_YEAR}")
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    early = parsed.replace(tzinfo=LONDON, fold=0)
    late = parsed.replace(tzinfo=LONDON, fold=1)
    back = early.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    if back != parsed:
        raise InvalidInput(f"{what} does not exist in London: the clocks go forward then")
    if early.utcoffset() != late.utcoffset():
        raise InvalidInput(f"{what} happens twice as the clocks go back: give its UTC offset")
    return early.astimezone(UTC)


def _wall_clock(at: datetime) -> datetime:
    return at.astimezone(LONDON).replace(tzinfo=None)


def checked_times(starts: datetime, ends: datetime) -> tuple[int, int]:
    """(start, end) as UTC epoch seconds: the end after the start, on the same day or a later
    one (an engagement weekend), within a week of it. The week is London's, as the poster
    says it: Saturday 10:00 to the next Saturday 10:00 is a week even when the clocks go back
    in between (a week and an hour of real time)."""
    if ends <= starts:
        raise InvalidInput("an event ends after it starts")
    if _wall_clock(ends) - _wall_clock(starts) > LONGEST:
        raise InvalidInput("an event lasts at most 7 days")
    return int(starts.timestamp()), int(ends.timestamp())


def as_utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def london_text(seconds: int) -> str:
    """How residents read the time: London's wall clock, e.g. `Thu 4 March 2027, 18:30`."""
    return as_utc(seconds).astimezone(LONDON).strftime("%a %-d %B %Y, %H:%M")
