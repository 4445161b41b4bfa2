"""Documents' streaming multipart reader without infrastructure (sniffing and safe names are
snp_platform.uploads', tested in tests/unit/platform/test_platform_uploads.py)."""

from __future__ import annotations

import pytest

from snp_documents.adapters.multipart import StreamingForm, UploadRefused

BOUNDARY = "xYzZY"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"0" * 2000


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
