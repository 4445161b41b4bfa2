"""The breaking-change check catches each kind of incompatible edit and allows compatible ones."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("proto_breaking", ROOT / "proto" / "breaking.py")
assert _spec and _spec.loader
breaking = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(breaking)

BASE = """
syntax = "proto3";
package snp.test;
message Joined { string account_id = 1; uint64 version = 2; Inner inner = 3;
  message Inner { string note = 1; } }
enum Side { SIDE_UNSPECIFIED = 0; POLICE = 1; AREA_COORDINATOR = 2; }
service Directory { rpc GetContacts(Joined) returns (Joined); }
"""


def changes(tmp_path: Path, before: str, after: str) -> list[str]:
    sets = []
    for name, text in (("old", before), ("new", after)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "t.proto").write_text(text)
        sets.append(breaking.compile_descriptors(folder))
    return list(breaking.breaking_changes(*sets))


def test_identical_schemas_have_no_breaking_change(tmp_path: Path) -> None:
    assert changes(tmp_path, BASE, BASE) == []


def test_adding_fields_messages_and_enum_values_is_compatible(tmp_path: Path) -> None:
    after = BASE.replace("Inner inner = 3;", "Inner inner = 3; string ward = 4;")
    after = after.replace("AREA_COORDINATOR = 2;", "AREA_COORDINATOR = 2; OTHER = 3;")
    assert changes(tmp_path, BASE, after + "\nmessage Left { string id = 1; }") == []


def test_removing_a_field_with_its_number_reserved_is_compatible(tmp_path: Path) -> None:
    after = BASE.replace("uint64 version = 2;", 'reserved 2; reserved "version";')
    assert changes(tmp_path, BASE, after) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("uint64 version = 2;", ""), "version (field 2) removed without reserving"),
        (("uint64 version = 2;", "uint64 version = 9;"), "renumbered to 9"),
        (("uint64 version = 2;", "string version = 2;"), "changed type"),
        (("uint64 version = 2;", "repeated uint64 version = 2;"), "changed type"),
        (("uint64 version = 2;", "uint64 revision = 2;"), "renamed to revision"),
        (("string note = 1;", "bytes note = 1;"), "Joined.Inner.note (field 1) changed type"),
        (("AREA_COORDINATOR = 2;", ""), "enum snp.test.Side lost values [2]"),
        (("rpc GetContacts(Joined) returns (Joined);", ""), "rpc snp.test.Directory/GetContacts"),
    ],
)
def test_incompatible_edits_are_reported(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    found = changes(tmp_path, BASE, BASE.replace(*edit))
    assert any(expected in problem for problem in found), found


def test_removing_a_message_is_reported(tmp_path: Path) -> None:
    after = BASE.replace("service Directory { rpc GetContacts(Joined) returns (Joined); }", "")
    after = after.replace("message Joined", "message Renamed")
    assert "message snp.test.Joined removed" in changes(tmp_path, BASE, after)
