"""The neighbour's authenticator app, set up from the key the QR page shows for typing in.

Identity takes a code once per 30-second step, and at most one step ahead of its clock, so
each code asked for is from a step not used before: this one, else the next."""

from __future__ import annotations

import time

import pyotp


class Authenticator:
    def __init__(self, setup_key: str) -> None:
        # An app ignores the spaces that group the key for reading.
        self._totp = pyotp.TOTP("".join(setup_key.split()))
        self._last_step = -1

    def code(self) -> str:
        now = time.time()
        current = int(now // self._totp.interval)
        step = max(current, self._last_step + 1)
        if step > current + 1:  # both steps used: wait for the clock to reach the next one
            time.sleep((step - 1) * self._totp.interval - now + 0.1)
        self._last_step = step
        return self._totp.at(step * self._totp.interval)
