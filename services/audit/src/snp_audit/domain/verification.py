"""Checking a tenant's log in order: positions, the hash chain, and the Merkle root at every
checkpoint. The offline `verify` command and the service's self-check both feed entries here,
so the two can never disagree about what counts as tampering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from snp_audit.domain.checkpoints import Checkpoint
from snp_audit.domain.entries import GENESIS, MalformedEntry, decode_entry, entry_hash
from snp_audit.domain.merkle import Frontier, leaf_hash

SignatureCheck = Callable[[Checkpoint], bool]


@dataclass(frozen=True)
class Failure:
    """The first thing found wrong: at which entry (position in the log), and why."""

    index: int | None
    reason: str

    def __str__(self) -> str:
        where = "the log" if self.index is None else f"entry {self.index}"
        return f"{where}: {self.reason}"


class Tampered(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(str(failure))
        self.failure = failure


class ChainVerifier:
    """Feed a tenant's entries in order (`add`), and checkpoints when their size is reached
    (`check_checkpoint`); the first problem raises Tampered naming the entry."""

    def __init__(
        self,
        tenant: str,
        signature_ok: SignatureCheck,
        frontier: Frontier | None = None,
        prev: str = GENESIS,
    ) -> None:
        self.tenant = tenant
        self._signature_ok = signature_ok
        self.frontier = frontier or Frontier()
        self.prev = prev
        self._window_start = self.frontier.size  # first entry since the last good checkpoint
        # A partial export's `prefix` and `prev` are vouched for by nothing until the first
        # checkpoint: until then a root mismatch may be theirs as well as an entry's.
        self._unverified_prefix = self.frontier.size > 0

    @property
    def size(self) -> int:
        return self.frontier.size

    def add(self, data: bytes) -> None:
        index = self.size
        try:
            entry = decode_entry(data)
        except MalformedEntry as error:
            raise Tampered(Failure(index, str(error))) from error
        if entry["index"] != index:
            raise Tampered(Failure(index, f"holds the entry for position {entry['index']}"))
        if entry["tenant"] != self.tenant:
            raise Tampered(Failure(index, f"belongs to tenant {entry['tenant']!r}"))
        if entry["prev"] != self.prev:
            # Entry i committed to a different entry i-1: i-1 was changed (or i's link was).
            if index > self._window_start:
                raise Tampered(Failure(index - 1, f"its hash differs from the `prev` of {index}"))
            raise Tampered(Failure(index, "does not link to the entry before it"))
        self.prev = entry_hash(data)
        self.frontier.append(leaf_hash(data))

    def check_checkpoint(self, checkpoint: Checkpoint) -> None:
        """The signature is good and the entries so far hash to the checkpoint's root."""
        if checkpoint.tenant != self.tenant:
            raise Tampered(Failure(None, f"a checkpoint of tenant {checkpoint.tenant!r}"))
        if not self._signature_ok(checkpoint):
            raise Tampered(
                Failure(None, f"checkpoint at size {checkpoint.tree_size}: bad signature")
            )
        if checkpoint.tree_size != self.size:
            raise Tampered(
                Failure(
                    self.size,
                    f"the log ends at {self.size} entries but a signed checkpoint covers"
                    f" {checkpoint.tree_size}: entries were removed",
                )
            )
        if self.frontier.root() != checkpoint.root_hash:
            raise Tampered(self._root_mismatch(checkpoint.tree_size))
        self._window_start = self.size
        self._unverified_prefix = False

    def _root_mismatch(self, tree_size: int) -> Failure:
        """Name the changed entry. The chain held up to here, and the entries before the window
        matched the last good checkpoint; so had the window's last entry been unchanged, its
        `prev` would pin every entry before it and the root would match. The last entry the
        checkpoint covers was therefore changed (earlier ones in the window may have been too,
        with their links rewritten to hide it)."""
        last = self.size - 1
        if self.size == self._window_start and not self._unverified_prefix:
            return Failure(None, f"two signed checkpoints of size {tree_size} disagree")
        if self._unverified_prefix:
            return Failure(
                last,
                f"the entries up to it do not hash to the signed root of checkpoint {tree_size}:"
                " it, or the export's `prefix` and `prev` before entry"
                f" {self._window_start}, was changed",
            )
        others = (
            ""
            if last == self._window_start
            else (
                f" (entries {self._window_start}..{last - 1} may have been changed with it, their"
                " links rewritten to match)"
            )
        )
        return Failure(
            last,
            f"was changed: the log up to it no longer hashes to the root of signed checkpoint"
            f" {tree_size}, the first that covers it{others}",
        )
