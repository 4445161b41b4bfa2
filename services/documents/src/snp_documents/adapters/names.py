"""Safe file names: what a document is downloaded as, whatever name the client sent."""

from __future__ import annotations

import unicodedata
import urllib.parse

from pathvalidate import sanitize_filename

from snp_documents.adapters.sniffing import ALLOWED

MAX_NAME_CHARS = 150
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt", ".text", ".md", ".log"),
}


def safe_file_name(raw: str | None, content_type: str) -> str:
    """A name with no path, no control characters, nothing a file system or shell treats
    specially, and an extension that says what the bytes are (appended when it does not)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    name = sanitize_filename(name, platform="universal", max_len=MAX_NAME_CHARS)
    name = name.strip(" .") or "document"
    extensions = _EXTENSIONS.get(content_type, (ALLOWED[content_type],))
    if not name.lower().endswith(extensions):
        name = name[: MAX_NAME_CHARS - len(extensions[0])] + extensions[0]
    return name


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name in RFC 5987 form (RFC 6266):
    always a download, never rendered in the platform's origin."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in fallback).strip()
    fallback = fallback or "document"
    quoted = urllib.parse.quote(name, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"
