"""How hard to slow down failed sign-ins (OWASP ASVS 2.2.1): pure arithmetic, no clocks."""

from __future__ import annotations

# An account: a few honest typos are free, then waits double, then a 15-minute lockout.
ACCOUNT_FREE_FAILURES = 3
ACCOUNT_LOCKOUT_AT = 10
ACCOUNT_LOCKOUT_SECONDS = 900.0
# A client address may be a council office or a mobile network shared by many residents, so it
# gets more room before it is slowed.
ADDRESS_FREE_FAILURES = 20
ADDRESS_LOCKOUT_AT = 100
ADDRESS_LOCKOUT_SECONDS = 900.0


def wait_after(failures: int, free: int, lockout_at: int, lockout_seconds: float) -> float:
    """Seconds a key must wait after its `failures`-th consecutive failure."""
    if failures >= lockout_at:
        return lockout_seconds
    if failures <= free:
        return 0.0
    return min(2.0 ** (failures - free - 1), lockout_seconds)


def account_wait(failures: int) -> float:
    return wait_after(failures, ACCOUNT_FREE_FAILURES, ACCOUNT_LOCKOUT_AT, ACCOUNT_LOCKOUT_SECONDS)


def address_wait(failures: int) -> float:
    return wait_after(failures, ADDRESS_FREE_FAILURES, ADDRESS_LOCKOUT_AT, ADDRESS_LOCKOUT_SECONDS)


# Password-reset mails: a few per email address and per client address in an hour, whether or
# not the address is registered (the same limits either way reveal nothing).
RESET_WINDOW_SECONDS = 3600.0
RESETS_PER_EMAIL = 3
RESETS_PER_ADDRESS = 20


def reset_window_full(requests_in_window: int, allowed: int) -> bool:
    """Whether this request, counted, used the window's last allowed mail."""
    return requests_in_window >= allowed
