"""Forces' display names from identity's public `GET /identity/public/tenants/{slug}`, kept in
memory for a few minutes: every page's header names the force, and a force is renamed rarely
(identity has no rename yet), so identity is asked once per slug per few minutes, not per page."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from cachetools import TTLCache

from snp_portal.adapters.api import ApiClient, Refusal

NAME_SECONDS = 300
# Unknown slugs are remembered too (briefly), else typing random slugs would ask identity each time.
UNKNOWN_SECONDS = 30
# Identity's tenant slugs (snp_identity.domain.tenants.SLUG): checked before a slug goes into
# a URL the portal calls.
_FORCE_SLUG = re.compile(r"[a-z][a-z0-9-]{1,48}[a-z0-9]")


def is_force_slug(text: str) -> bool:
    return bool(_FORCE_SLUG.fullmatch(text))


@dataclass(frozen=True)
class Force:
    slug: str
    display_name: str


class ForceNames:
    def __init__(self, identity: ApiClient, max_forces: int = 1000) -> None:
        self._identity = identity
        self._known: TTLCache[str, Force] = TTLCache(max_forces, NAME_SECONDS)
        self._unknown: TTLCache[str, bool] = TTLCache(max_forces, UNKNOWN_SECONDS)
        self._lock = threading.Lock()  # TTLCache is not thread-safe; pages run in a pool

    def find(self, slug: str) -> Force | None:
        """The force, or None when identity knows no such slug (ServiceUnavailable when it
        cannot be asked)."""
        if not is_force_slug(slug):  # never a path of identity's own (`../sessions`)
            return None
        with self._lock:
            if slug in self._unknown:
                return None
            if (known := self._known.get(slug)) is not None:
                return known
        try:
            got = self._identity.get(f"/public/tenants/{slug}")
        except Refusal as refused:  # 404 (unknown) or 422 (not a slug at all)
            if refused.status not in (404, 422):
                raise
            with self._lock:
                self._unknown[slug] = True
            return None
        force = Force(str(got["slug"]), str(got["display_name"]))
        with self._lock:
            self._known[slug] = force
        return force
