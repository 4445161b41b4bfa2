"""The auditor's console over HTTP against the real stack: the search (in words), an entry with
its inclusion proof, the export that verifies offline, the public key and checkpoint files, the
checkpoints page; bad input gets the error summary; other kinds get a refusal (403) from the
portal and 403 from audit itself."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.auditor_world import (
    audit_client,
    refused_read_world,
    refused_reads,
    verify_offline,
)
from tests.integration.portal_people import portal_client, sign_in

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(stack: Any) -> dict[str, Any]:
    return refused_read_world(stack)


@pytest.fixture(scope="module")
def auditor(stack: Any, world: dict[str, Any]) -> Iterator[httpx.Client]:
    with portal_client(stack) as client:
        signed = sign_in(client, world["portal"]["auditor"], "/auditor")
        assert signed.status_code == 303 and signed.headers["location"] == "/auditor"
        yield client


def text_of(page: httpx.Response) -> str:
    return html.unescape(page.text)


def test_the_auditor_finds_the_refused_document_read_in_words(
    auditor: httpx.Client, world: dict[str, Any]
) -> None:
    police = world["people"]["police"][1]
    page = auditor.get(
        "/auditor",
        params={"actor": police.account_id, "answer": "refused", "type": "documents.document.read"},
    )
    assert page.status_code == 200, page.text
    assert "no-store" in page.headers["cache-control"]
    said = (
        f"Police officer {police.account_id} was refused `documents.document.read` on group"
        f" {world['group']} because staff accounts never read or handle group documents and"
        " no account of that kind may do this."
    )
    assert said in text_of(page), text_of(page).split('id="entries"')[-1][:3000]
    assert 'active-fallback">Search the log</strong>' in page.text  # the console's menu
    # The same entry by its subject, with the kind or without (the one style and both forms).
    for subject in (world["group"], f"group:{world['group']}"):
        by_subject = auditor.get("/auditor", params={"subject": subject, "answer": "refused"})
        assert said in text_of(by_subject), subject
    allowed = auditor.get("/auditor", params={"actor": police.account_id, "answer": "allowed"})
    assert said not in text_of(allowed)


def test_an_entry_shows_its_inclusion_proof_and_checkpoint(
    stack: Any, auditor: httpx.Client, world: dict[str, Any]
) -> None:
    police, api_auditor = world["people"]["police"][1], world["people"]["auditor"][1]
    with audit_client(stack) as audit:
        (found, *_rest) = refused_reads(audit, api_auditor.auth, police.account_id)
        proof = audit.get(
            "/proofs/inclusion", headers=api_auditor.auth, params={"index": found["index"]}
        ).json()
    page = auditor.get(f"/auditor/entries/{found['index']}")
    assert page.status_code == 200, page.text
    shown = text_of(page)
    assert f"Entry {found['index']}" in shown and "was refused" in shown
    assert proof["checkpoint"]["root_hash"] in shown and proof["checkpoint"]["signature"] in shown
    assert all(h in shown for h in proof["path"])
    assert proof["entry"] in shown  # the exact bytes the leaf hashes
    assert auditor.get("/auditor/entries/999999999").status_code == 404
    assert auditor.get("/auditor/entries/nope").status_code in (404, 422)


def test_the_export_streams_and_verifies_offline_with_the_downloaded_key(
    auditor: httpx.Client, tmp_path: Path
) -> None:
    with auditor.stream("GET", "/auditor/export/download") as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        assert "attachment" in answer.headers["content-disposition"]
        export = tmp_path / "export.ndjson"
        with export.open("wb") as out:
            for piece in answer.iter_bytes():
                out.write(piece)
    key = auditor.get("/auditor/public-key")
    assert key.status_code == 200 and "audit.pub" in key.headers["content-disposition"]
    (tmp_path / "audit.pub").write_text(key.text)
    checked = verify_offline(export, tmp_path / "audit.pub")
    assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked.stdout
    # The export holds the refused read, and a changed byte of it fails the check.
    lines = export.read_text().splitlines()
    refused = next(i for i, line in enumerate(lines) if "staff_kind_never_documents" in line)
    lines[refused] = lines[refused].replace("staff_kind_never_documents", "grant:nothing_to_see")
    (tmp_path / "changed.ndjson").write_text("\n".join(lines) + "\n")
    tampered = verify_offline(tmp_path / "changed.ndjson", tmp_path / "audit.pub")
    assert tampered.returncode == 1 and "FAILED entry" in tampered.stdout, tampered.stdout


def test_an_export_since_a_kept_checkpoint_proves_the_log_only_grew(
    auditor: httpx.Client, tmp_path: Path
) -> None:
    kept = auditor.get("/auditor/checkpoint")
    assert kept.status_code == 200 and "attachment" in kept.headers["content-disposition"]
    checkpoint = json.loads(kept.text)
    (tmp_path / "kept.json").write_text(kept.text)
    (tmp_path / "audit.pub").write_text(auditor.get("/auditor/public-key").text)
    since = auditor.get("/auditor/export/download", params={"since": checkpoint["tree_size"]})
    assert since.status_code == 200
    (tmp_path / "since.ndjson").write_bytes(since.content)
    assert '"kind":"consistency"' in since.text.replace(" ", "")
    checked = verify_offline(
        tmp_path / "since.ndjson",
        tmp_path / "audit.pub",
        "--previous-checkpoint",
        str(tmp_path / "kept.json"),
    )
    assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked.stdout


def test_bad_input_gets_the_error_summary(auditor: httpx.Client) -> None:
    page = auditor.get("/auditor", params={"from": "last tuesday", "actor": "x" * 201})
    assert page.status_code == 400
    assert "There is a problem" in page.text and 'href="#from"' in page.text
    assert 'href="#actor"' in page.text and "<title>Error:" in page.text
    bad = auditor.get("/auditor/export/download", params={"since": "-3"})
    assert bad.status_code == 400 and 'href="#since"' in bad.text
    assert bad.headers["content-type"].startswith("text/html")


def test_the_checkpoints_page_draws_the_growth_beside_a_table(auditor: httpx.Client) -> None:
    page = auditor.get("/auditor/checkpoints")
    assert page.status_code == 200
    assert "<svg" in page.text and 'id="checkpoints"' in page.text
    assert 'role="img"' in page.text and "Entries in the log over time" in page.text
    assert auditor.get("/auditor/verify").status_code == 200
    assert "snp-audit verify" in text_of(auditor.get("/auditor/verify"))
    assert auditor.get("/auditor/export").status_code == 200


@pytest.mark.parametrize("who", ["police", "admin", "member"])
def test_other_kinds_find_no_console_and_audit_refuses_them_itself(
    stack: Any, world: dict[str, Any], who: str
) -> None:
    with portal_client(stack) as client:
        assert sign_in(client, world["portal"][who]).status_code == 303
        for path in (
            "/auditor",
            "/auditor/entries/0",
            "/auditor/export/download",
            "/auditor/checkpoints",
            "/auditor/public-key",
        ):
            assert client.get(path).status_code == 403, (who, path)
    # Not only hidden: asked straight with a police officer's token, audit refuses.
    police = world["people"]["police"][1]
    with audit_client(stack) as audit:
        for path in ("/events", "/export", "/checkpoints", "/proofs/inclusion?index=0"):
            refused = audit.get(path, headers=police.auth)
            assert refused.status_code == 403, (path, refused.text)
