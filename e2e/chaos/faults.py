"""The chaos run's faults: Kafka's broker SIGKILLed, PostgreSQL stopped immediately and fast,
OPA killed, and every service role SIGKILLed once; each then started again as the stack first
started it. Each fault opens an outage window, from the moment it strikes until the component
is ready again and a grace period for clients (pools, consumers, the relay) to reconnect."""

from __future__ import annotations

import random
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any

# How long after a component is back its clients may still be reconnecting: a pooled
# connection broken by the restart fails once, a consumer rejoins its group.
GRACE_SECONDS = 10.0


INFRASTRUCTURE = {"postgres", "kafka", "opa"}
STAND_INS = {"mailsink", "notify"}  # the local mail server and Notify: not the platform's


@dataclass(frozen=True)
class Fault:
    component: str
    sig: int
    label: str


@dataclass(frozen=True)
class Window:
    fault: Fault
    started: float  # monotonic
    ready: float
    ended: float  # ready plus the grace

    @property
    def recovery_seconds(self) -> float:
        return self.ready - self.started


def every_fault(stack: Any) -> list[Fault]:
    """The infrastructure's faults, then each service role's SIGKILL."""
    faults = [
        Fault("kafka", signal.SIGKILL, "Kafka broker SIGKILL"),
        Fault("postgres", signal.SIGQUIT, "PostgreSQL immediate stop"),
        Fault("postgres", signal.SIGINT, "PostgreSQL fast stop"),
        Fault("opa", signal.SIGKILL, "OPA SIGKILL"),
    ]
    for component in stack.components:
        if component.pid is not None and component.name not in INFRASTRUCTURE | STAND_INS:
            faults.append(Fault(component.name, signal.SIGKILL, f"{component.name} SIGKILL"))
    return faults


def short_form(stack: Any) -> list[Fault]:
    """The suite's short run: the infrastructure's four faults, a delivery worker and an api
    process (every role's SIGKILL is the full run's, `make chaos`)."""
    chosen = {"messaging-worker", "membership-api"}
    return [f for f in every_fault(stack) if f.component in INFRASTRUCTURE or f.component in chosen]


class Faults:
    """Strikes each fault once, in a random order, at random moments spread over `seconds`."""

    def __init__(self, stack: Any, faults: list[Fault], seconds: float, seed: int = 11) -> None:
        self.stack, self.seconds = stack, seconds
        rng = random.Random(seed)
        self.faults = faults[:]
        rng.shuffle(self.faults)
        slot = seconds / (len(self.faults) + 1)
        # One per slot, anywhere in its first half, so each has time to recover before the next.
        self.offsets = [
            slot * (i + 0.5) + rng.uniform(0, slot / 2) for i in range(len(self.faults))
        ]
        self.windows: list[Window] = []
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="chaos-faults", daemon=True)

    def start(self) -> None:
        self._began = time.monotonic()
        self._thread.start()

    def join(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        for fault, offset in zip(self.faults, self.offsets, strict=True):
            time.sleep(max(0.0, self._began + offset - time.monotonic()))
            started = time.monotonic()
            try:
                self.stack.restart(fault.component, fault.sig)
            except Exception as error:  # a component that did not come back is a finding
                self.errors.append(f"{fault.label}: {error}")
            ready = time.monotonic()
            self.windows.append(Window(fault, started, ready, ready + GRACE_SECONDS))
            print(f"   fault: {fault.label}, back in {ready - started:.1f} s", flush=True)
