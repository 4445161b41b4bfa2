"""RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and their verification.

Leaves are `SHA-256(0x00 || entry)`, interior nodes `SHA-256(0x01 || left || right)`; the tree
over n leaves splits at the largest power of two below n. Proofs are built from a function that
returns the hash of any leaf range the RFC's recursion asks for (`RangeHash`), so the same code
serves an in-memory list and a database of stored subtree hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

RangeHash = Callable[[int, int], bytes]  # (start, end) -> MTH(D[start:end])
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof that does not verify, or that was asked for outside the tree."""


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly below n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes (the reference recursion; fine for tests and small trees)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(root_of(leaves[:k]), root_of(leaves[k:]))


def inclusion_path(index: int, size: int, subtree: RangeHash) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 section 2.1.3.1."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start += k
    path.reverse()
    return path


def consistency_path(first: int, second: int, subtree: RangeHash) -> list[bytes]:
    """PROOF(first, D[second]) of RFC 9162 section 2.1.4.1 (empty when first is 0 or equal)."""
    if not 0 <= first <= second:
        raise ProofError(f"no consistency proof from {first} to {second}")
    if first in (0, second):
        return []
    path: list[bytes] = []
    start, end, whole = 0, second, True
    m = first
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            m -= k
            start += k
            whole = False
    if not whole:
        path.append(subtree(start, end))
    path.reverse()
    return path


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 section 2.1.3.2; raises ProofError unless `leaf` is at `index` under `root`."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise ProofError(f"leaf {index} is not included in the tree of {size} with that root")


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> None:
    """RFC 9162 section 2.1.4.2; raises ProofError unless the tree of `first` leaves is a
    prefix of the tree of `second` leaves (history was only appended to)."""
    if not 0 <= first <= second:
        raise ProofError(f"a tree of {second} cannot extend a tree of {first}")
    if first == second:
        if path or first_root != second_root:
            raise ProofError("equal sizes need equal roots and an empty proof")
        return
    if first == 0:
        if path:
            raise ProofError("the empty tree needs an empty proof")
        return
    if not path:
        raise ProofError("consistency proof is empty")
    nodes = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        nodes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != first_root or sr != second_root:
        raise ProofError(f"the tree of {second} does not extend the tree of {first}")


class Frontier:
    """The roots of the perfect subtrees covering the first `size` leaves (a compact range):
    enough to append leaves and compute the root without the leaves themselves."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError(f"a frontier of {size} leaves has {size.bit_count()} hashes")
        self.size = size
        self.hashes = list(hashes)  # largest subtree first

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; returns the subtrees it completed as (level, index, hash), level >= 1."""
        completed: list[tuple[int, int, bytes]] = []
        node, index, level = leaf, self.size, 0
        while index & 1:  # every trailing one bit merges with the subtree to its left
            node = node_hash(self.hashes.pop(), node)
            index, level = index >> 1, level + 1
            completed.append((level, index, node))
        self.hashes.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def pack(self) -> bytes:
        return b"".join(self.hashes)

    @classmethod
    def unpack(cls, size: int, packed: bytes) -> Frontier:
        return cls(size, [packed[i : i + 32] for i in range(0, len(packed), 32)])
