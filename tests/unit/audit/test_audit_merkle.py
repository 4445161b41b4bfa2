"""RFC 9162 hashing and proofs, checked against the RFC's own recursion and by tampering."""

from __future__ import annotations

import hashlib

import pytest

from snp_audit.domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_path,
    inclusion_path,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [leaf_hash(f"entry {i}".encode()) for i in range(70)]


def ranged(leaves: list[bytes]):  # type: ignore[no-untyped-def]
    return lambda start, end: root_of(leaves[start:end])


def test_hashing_follows_rfc_9162_domain_separation() -> None:
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert root_of([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    a, b, c = LEAVES[:3]
    assert root_of([a, b, c]) == node_hash(node_hash(a, b), c)  # splits at the largest 2^k < n


def test_the_frontier_gives_the_reference_root_at_every_size_and_the_subtrees_it_completes() -> (
    None
):
    frontier = Frontier()
    stored: dict[tuple[int, int], bytes] = {}
    for n, leaf in enumerate(LEAVES, start=1):
        for level, index, node in frontier.append(leaf):
            stored[(level, index)] = node
        assert frontier.root() == root_of(LEAVES[:n])
        again = Frontier.unpack(frontier.size, frontier.pack())
        assert again.root() == frontier.root()
    assert stored[(3, 2)] == root_of(LEAVES[16:24])
    assert stored[(6, 0)] == root_of(LEAVES[:64])


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 8, 9, 31, 32, 33, 70])
def test_every_inclusion_proof_verifies_and_a_wrong_leaf_or_index_does_not(size: int) -> None:
    leaves = LEAVES[:size]
    root = root_of(leaves)
    for index in range(size):
        path = inclusion_path(index, size, ranged(leaves))
        verify_inclusion(index, size, leaves[index], path, root)
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaf_hash(b"forged"), path, root)
        if size > 1:
            with pytest.raises(ProofError):
                verify_inclusion((index + 1) % size, size, leaves[index], path, root)


@pytest.mark.parametrize("second", [1, 2, 3, 4, 6, 8, 13, 32, 70])
def test_every_consistency_proof_verifies(second: int) -> None:
    leaves = LEAVES[:second]
    for first in range(0, second + 1):
        path = consistency_path(first, second, ranged(leaves))
        verify_consistency(first, second, root_of(leaves[:first]), root_of(leaves), path)


@pytest.mark.parametrize(("first", "second"), [(1, 2), (3, 7), (4, 9), (8, 70), (33, 70)])
def test_a_rewritten_history_fails_the_consistency_proof(first: int, second: int) -> None:
    old_root = root_of(LEAVES[:first])
    rewritten = list(LEAVES[:second])
    rewritten[first - 1] = leaf_hash(b"rewritten")  # change an entry the old checkpoint covered
    path = consistency_path(first, second, ranged(rewritten))
    with pytest.raises(ProofError):
        verify_consistency(first, second, old_root, root_of(rewritten), path)


def test_shrinking_or_misshapen_proofs_are_refused() -> None:
    with pytest.raises(ProofError):
        verify_consistency(5, 4, root_of(LEAVES[:5]), root_of(LEAVES[:4]), [])
    with pytest.raises(ProofError):
        verify_consistency(3, 3, root_of(LEAVES[:3]), root_of(LEAVES[:3]), [LEAVES[0]])
    path = consistency_path(3, 9, ranged(LEAVES))
    with pytest.raises(ProofError):
        verify_consistency(3, 9, root_of(LEAVES[:3]), root_of(LEAVES[:9]), [*path, LEAVES[0]])
    with pytest.raises(ProofError):
        inclusion_path(9, 9, ranged(LEAVES))
