"""The copy of all my data as a file: one JSON file per service that gave a part, in a fixed
order, and a summary a resident can read that counts what each part holds."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from snp_identity.domain.subject_access import SERVICES, summary, zip_of

PARTS: dict[str, dict[str, Any]] = {
    "identity": {
        "display_name": "Alice",
        "email": "alice@example.org",
        "phone": None,
        "kind": "member",
    },
    "membership": {"groups": [{"name": "Elm Street Watch"}], "join_requests": [{}, {}]},
    "documents": {"documents_uploaded": [], "mailing_lists": [{"name": "Committee"}]},
    "messaging": {"inbox": [{}, {}, {}], "deliveries": [], "consent_history": []},
    "engagement": {"event_registrations": [], "reports": []},
    "audit": {"entries": [{}]},
}


def test_the_zip_holds_one_json_file_per_service_and_the_summary() -> None:
    archive = zipfile.ZipFile(io.BytesIO(zip_of(PARTS, "2026-12-03T10:40+00:00")))
    assert archive.namelist() == ["summary.txt", *(f"{s}.json" for s in SERVICES)]
    assert json.loads(archive.read("membership.json")) == PARTS["membership"]
    assert "Alice" in archive.read("summary.txt").decode()


def test_the_same_parts_make_the_same_bytes() -> None:
    assert zip_of(PARTS, "2026-12-03") == zip_of(PARTS, "2026-12-03")


def test_a_service_that_gave_nothing_has_no_file() -> None:
    archive = zipfile.ZipFile(io.BytesIO(zip_of({"identity": PARTS["identity"]}, "today")))
    assert archive.namelist() == ["summary.txt", "identity.json"]


def test_the_summary_counts_each_part_in_words() -> None:
    text = summary(PARTS, "2026-12-03")
    assert "email: alice@example.org" in text
    assert "phone: none given" in text
    assert "1 group(s) you are a member of" in text
    assert "2 request(s) to join a group" in text
    assert "3 message(s) in your inbox" in text
    assert "1 mailing list(s) you are on" in text
    assert "0 report(s) you made under your name" in text
    assert "never copied" in text  # the password and authenticator secret, said plainly
