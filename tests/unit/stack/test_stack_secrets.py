"""Development secrets: each service gets its own, and old state folders learn new ones."""

from __future__ import annotations

from pathlib import Path

from snp_stack import secrets


def test_only_documents_gets_the_document_keks(tmp_path: Path) -> None:
    documents = secrets.for_service(tmp_path, {}, "documents")
    assert documents["SNP_DOCUMENT_KEKS"].endswith(";active=docs1")
    for other in ("identity", "membership", "messaging", "audit"):
        assert "SNP_DOCUMENT_KEKS" not in secrets.for_service(tmp_path, {}, other)
    # Stable across calls (the data they protect survives restarts), and the environment wins.
    assert secrets.for_service(tmp_path, {}, "documents") == documents
    chosen = secrets.for_service(tmp_path, {"SNP_DOCUMENT_KEKS": "x:y;active=x"}, "documents")
    assert chosen["SNP_DOCUMENT_KEKS"] == "x:y;active=x"


def test_a_state_folder_from_before_gets_the_new_secret_added(tmp_path: Path) -> None:
    secrets.for_service(tmp_path, {}, "identity")
    path = tmp_path / "secrets.env"
    kept = [line for line in path.read_text().splitlines() if "DOCUMENT" not in line]
    path.write_text("\n".join(kept) + "\n")
    identity_keks = secrets.for_service(tmp_path, {}, "identity")["SNP_KEKS"]
    documents = secrets.for_service(tmp_path, {}, "documents")
    assert documents["SNP_DOCUMENT_KEKS"]
    assert secrets.for_service(tmp_path, {}, "identity")["SNP_KEKS"] == identity_keks
    assert secrets.for_service(tmp_path, {}, "documents") == documents
