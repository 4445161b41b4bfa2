"""Who takes part in the load test, as the JSON file the Locust process reads (kept free of
the platform's imports: Locust's process needs only this)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Person:
    account_id: str
    email: str
    token: str
    group_id: str = ""


@dataclass
class World:
    tenant: str
    urls: dict[str, str]
    groups: list[str] = field(default_factory=list)
    residents: list[Person] = field(default_factory=list)
    coordinators: list[Person] = field(default_factory=list)
    police: list[Person] = field(default_factory=list)
    auditors: list[Person] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> World:
        raw = json.loads(path.read_text())

        def people(key: str) -> list[Person]:
            return [Person(**p) for p in raw[key]]

        return cls(
            raw["tenant"],
            raw["urls"],
            raw["groups"],
            people("residents"),
            people("coordinators"),
            people("police"),
            people("auditors"),
        )
