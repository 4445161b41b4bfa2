"""The checks every uploaded file meets (snp_platform.uploads): its type from its bytes, a safe
name, the download header, its size and SHA-256."""

from __future__ import annotations

import hashlib

import pytest

from snp_platform.uploads import (
    HEAD_BYTES,
    FileFacts,
    content_disposition,
    safe_file_name,
    sniff,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"0" * 2000
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
FEW = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})


def test_content_types_come_from_the_bytes() -> None:
    assert sniff(PDF, "report.exe", complete=True) == "application/pdf"
    assert sniff(PNG, "photo.pdf", complete=True) == "image/png"
    assert sniff("Meeting at 7pm, café".encode(), "notes", complete=True) == "text/plain"
    assert sniff(b"a,b\n1,2\n", "sheet.csv", complete=True) == "text/csv"
    assert sniff(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "x.pdf", complete=True) is None
    assert sniff(b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "x.txt", complete=True) is None
    assert sniff(b"PK\x03\x04" + b"\x00" * 200, "x.docx", complete=True) is None  # bare zip
    assert sniff(b"text with a \x00 NUL", "x.txt", complete=True) is None
    assert sniff(b"", "x.txt", complete=True) is None


def test_office_packages_need_their_markers() -> None:
    docx = (
        b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"\x00" * 50 + b"word/document.xml"
    )
    assert sniff(docx, "minutes.docx", complete=True) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert sniff(docx, "minutes.xlsx", complete=True) is None
    odt = b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.textPK"
    assert sniff(odt, "x.bin", complete=True) == "application/vnd.oasis.opendocument.text"


def test_a_text_cut_mid_character_is_text_only_while_more_may_follow() -> None:
    cut = "café".encode()[:-1]
    assert sniff(cut, "notes", complete=False) == "text/plain"
    assert sniff(cut, "notes", complete=True) is None


def test_a_caller_keeps_only_the_types_it_allows() -> None:
    assert sniff(b"%PDF-1.7 ...", complete=True, allowed=FEW) == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....", complete=True, allowed=FEW) == "image/png"
    assert sniff(b"plain words", complete=True, allowed=FEW) == "text/plain"
    assert sniff(b"a,b\n1,2\n", "sheet.csv", complete=True, allowed=FEW) == "text/plain"
    assert sniff(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", complete=True, allowed=FEW) is None
    assert sniff(b"MZ\x90\x00\xff\xfe", complete=True, allowed=FEW) is None  # no document
    assert sniff(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", complete=True) == "image/gif"


@pytest.mark.parametrize(
    ("raw", "content_type", "expected"),
    [
        ("minutes.pdf", "application/pdf", "minutes.pdf"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        ("C:\\Users\\me\\plan.PDF", "application/pdf", "plan.PDF"),
        ("report.exe", "application/pdf", "report.exe.pdf"),
        ("a\x00b\r\nc.png", "image/png", "abc.png"),
        ("  ...  ", "image/jpeg", "document.jpg"),
        (None, "application/pdf", "document.pdf"),
        ("CON", "text/plain", "CON_.txt"),  # a reserved name on Windows
        ("x" * 400 + ".pdf", "application/pdf", "x" * 146 + ".pdf"),
    ],
)
def test_file_names_are_made_safe(raw: str | None, content_type: str, expected: str) -> None:
    assert safe_file_name(raw, content_type) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ('C:\\temp\\"bad"<name>.pdf', "_bad_name_.pdf"),
        ("...", "attachment"),
        ("Réunion été.pdf", "R_union _t_.pdf"),
        ("a\r\nSet-Cookie: x.pdf", "a_Set-Cookie_ x.pdf"),
        ("x" * 400, "x" * 120),
    ],
)
def test_ascii_only_names_replace_each_run_of_anything_else(raw: str, expected: str) -> None:
    name = safe_file_name(raw, fallback="attachment", max_chars=120, ascii_only=True)
    assert name == expected


def test_content_disposition_is_an_attachment_with_both_name_forms() -> None:
    header = content_disposition('Réunion "été"; x=1.pdf')
    assert header.startswith('attachment; filename="Reunion _ete__ x_1.pdf"; ')
    assert header.endswith("filename*=UTF-8''R%C3%A9union%20%22%C3%A9t%C3%A9%22%3B%20x%3D1.pdf")
    assert "\r" not in content_disposition("a\r\nSet-Cookie: x.pdf")


def test_file_facts_count_hash_and_keep_only_the_head() -> None:
    pieces = [b"a" * 1000, b"b" * HEAD_BYTES, b"c" * 10]
    facts = FileFacts()
    assert [facts.add(p) for p in pieces] == [False, True, False]
    whole = b"".join(pieces)
    assert facts.size == len(whole)
    assert facts.sha256 == hashlib.sha256(whole).hexdigest()
    assert facts.head == whole[:HEAD_BYTES]
    assert FileFacts.of(whole).sha256 == facts.sha256
