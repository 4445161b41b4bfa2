"""The upload adapters without infrastructure: streaming multipart, sniffing, safe names."""

from __future__ import annotations

import pytest

from snp_documents.adapters.multipart import StreamingForm, UploadRefused
from snp_documents.adapters.names import content_disposition, safe_file_name
from snp_documents.adapters.sniffing import sniff

BOUNDARY = "xYzZY"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"0" * 2000
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100


def body(parts: list[tuple[str, str | None, bytes]], close: bool = True) -> bytes:
    out = b""
    for name, file_name, data in parts:
        disposition = f'form-data; name="{name}"'
        if file_name is not None:
            disposition += f'; filename="{file_name}"'
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        out += data + b"\r\n"
    return out + (f"--{BOUNDARY}--\r\n".encode() if close else b"")


def form(max_bytes: int = 10_000) -> StreamingForm:
    return StreamingForm(
        f"multipart/form-data; boundary={BOUNDARY}",
        file_field="file",
        text_fields=frozenset({"title", "audience"}),
        max_file_bytes=max_bytes,
    )


def feed(f: StreamingForm, data: bytes, step: int = 7) -> bytes:
    got = b""
    for start in range(0, len(data), step):
        got += b"".join(f.feed(data[start : start + step]))
    return got


def test_the_file_streams_out_and_the_fields_are_collected() -> None:
    f = form()
    payload = b"\x00\x01binary\r\n--not-the-boundary" * 50
    data = body(
        [
            ("title", None, b"Minutes"),
            ("file", "a.bin", payload),
            ("audience", None, b"members"),
        ]
    )
    assert feed(f, data) == payload
    f.close()
    assert f.fields == {"title": "Minutes", "audience": "members"}
    assert f.file_name == "a.bin" and f.file_bytes == len(payload)


def test_a_body_without_its_closing_boundary_is_truncated() -> None:
    f = form()
    feed(f, body([("file", "a.pdf", PDF)], close=False))
    with pytest.raises(UploadRefused) as refused:
        f.close()
    assert refused.value.status == 400


def test_limits_are_enforced_as_bytes_arrive() -> None:
    f = form(max_bytes=1000)
    with pytest.raises(UploadRefused) as refused:
        feed(f, body([("file", "a.pdf", b"x" * 1001)]))
    assert refused.value.status == 413
    with pytest.raises(UploadRefused) as twice:
        feed(form(), body([("file", "a", b"1"), ("file", "b", b"2")]))
    assert twice.value.status == 422
    with pytest.raises(UploadRefused) as unknown:
        feed(form(), body([("owner", None, b"me")]))
    assert unknown.value.status == 422
    no_file = form()
    feed(no_file, body([("title", None, b"t")]))
    with pytest.raises(UploadRefused) as missing:
        no_file.close()
    assert missing.value.status == 422
    with pytest.raises(UploadRefused) as not_multipart:
        StreamingForm(
            "application/json", file_field="file", text_fields=frozenset(), max_file_bytes=1
        )
    assert not_multipart.value.status == 415


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


def test_content_disposition_is_an_attachment_with_both_name_forms() -> None:
    header = content_disposition('Réunion "été"; x=1.pdf')
    assert header.startswith('attachment; filename="Reunion _ete__ x_1.pdf"; ')
    assert header.endswith("filename*=UTF-8''R%C3%A9union%20%22%C3%A9t%C3%A9%22%3B%20x%3D1.pdf")
    assert "\r" not in content_disposition("a\r\nSet-Cookie: x.pdf")
