"""Reading a multipart/form-data upload as it streams in, holding no whole file.

The body is fed chunk by chunk; the file part's bytes come back to the caller as they are parsed
(to be sealed and stored at once), small text fields are collected, and the limits are enforced
as bytes arrive. A body that ends before the closing boundary is a truncated upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header


class UploadRefused(Exception):
    """The upload cannot be accepted; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    file_name: str | None = None
    text: bytearray = field(default_factory=bytearray)


class StreamingForm:
    """One upload: one file part named `file_field`, and small text fields."""

    def __init__(
        self,
        content_type: str,
        *,
        file_field: str,
        text_fields: frozenset[str],
        max_file_bytes: int,
        max_field_bytes: int = 4096,
    ) -> None:
        mime, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if mime != b"multipart/form-data" or not boundary:
            raise UploadRefused(415, "Send the document as multipart/form-data.")
        self._file_field, self._text_fields = file_field, text_fields
        self._max_file, self._max_field = max_file_bytes, max_field_bytes
        self.fields: dict[str, str] = {}
        self.file_name: str | None = None
        self.file_bytes = 0
        self._file_seen = False
        self._ended = False
        self._out: list[bytes] = []
        self._part = _Part()
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_header_field": self._header_field_data,
                "on_header_value": self._header_value_data,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_end": self._end,
            },
        )

    def feed(self, chunk: bytes) -> list[bytes]:
        """Parse a chunk of the body; return the file bytes it held."""
        try:
            self._parser.write(chunk)
        except MultipartParseError:
            raise UploadRefused(400, "The multipart body is malformed.") from None
        out, self._out = self._out, []
        return out

    def close(self) -> None:
        """The body ended: refuse it unless the closing boundary was seen and a file sent."""
        if not self._ended:
            raise UploadRefused(400, "The upload is truncated: the body ended early.")
        if not self._file_seen:
            raise UploadRefused(422, f"A file is required in the '{self._file_field}' field.")

    def _part_begin(self) -> None:
        self._part = _Part()

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > self._max_field:
            raise UploadRefused(400, "A part header is too long.")

    def _header_end(self) -> None:
        name = bytes(self._header_field).decode("latin-1").lower()
        # latin-1 keeps the raw bytes; the file name is decoded as UTF-8 below.
        self._part.headers[name] = bytes(self._header_value).decode("latin-1")
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(
            self._part.headers.get("content-disposition", "")
        )
        if disposition != b"form-data" or b"name" not in options:
            raise UploadRefused(400, "Every part needs Content-Disposition: form-data; name=...")
        self._part.name = options[b"name"].decode("utf-8", errors="replace")
        if self._part.name == self._file_field:
            if self._file_seen:
                raise UploadRefused(422, "Send one file per upload.")
            self._file_seen = True
            raw = options.get(b"filename", b"")
            self.file_name = raw.decode("utf-8", errors="replace")
        elif self._part.name not in self._text_fields or self._part.name in self.fields:
            raise UploadRefused(422, f"Unexpected or repeated field '{self._part.name[:40]}'.")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part.name == self._file_field:
            self.file_bytes += end - start
            if self.file_bytes > self._max_file:
                raise UploadRefused(413, f"The document is larger than {self._max_file} bytes.")
            self._out.append(bytes(data[start:end]))
            return
        self._part.text += data[start:end]
        if len(self._part.text) > self._max_field:
            raise UploadRefused(413, f"The field '{self._part.name}' is too long.")

    def _part_end(self) -> None:
        if self._part.name != self._file_field:
            try:
                self.fields[self._part.name] = bytes(self._part.text).decode("utf-8")
            except UnicodeDecodeError:
                raise UploadRefused(422, f"The field '{self._part.name}' is not UTF-8.") from None

    def _end(self) -> None:
        self._ended = True
