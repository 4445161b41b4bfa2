"""Fakes for unit tests only: an in-memory event store and a policy client whose answers the
test chooses. No service may import this package outside its tests."""

from snp_platform.testing.fake_policy import Asked, FakePolicyClient
from snp_platform.testing.memory_store import MemoryEventStore, NoDatabase, unopened_pool

__all__ = ["Asked", "FakePolicyClient", "MemoryEventStore", "NoDatabase", "unopened_pool"]
