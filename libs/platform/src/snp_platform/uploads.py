"""What the platform checks of every file it is given (documents' group documents, messaging's
police attachments): what it is, from its bytes; a name safe to keep, to show and to send; its
size and SHA-256.

The client's declared content type is never trusted: types come from the bytes (puremagic's
magic numbers). A name's extension only breaks ties between formats whose bytes start alike (the
zip-based office formats), and even then the package must show its own marker; anything not
recognised, or not among the types the caller keeps, is refused.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import urllib.parse
from collections.abc import Collection

import puremagic
from pathvalidate import sanitize_filename

HEAD_BYTES = 64 * 1024  # enough for every marker below

_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx", b"word/"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", b"xl/"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx", b"ppt/"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
# Every content type the platform tells from the bytes, each with the extension a file name gets
# when it lacks one. A service keeps all of them or some (`sniff`'s `allowed`).
FILE_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
    "text/csv": ".csv",
    **{mime: ext for mime, (ext, _) in _OOXML.items()},
    **_ODF,
}
# Controls other than tab, line feed, form feed and carriage return, and DEL: not a text file.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _odf_type(head: bytes) -> str | None:
    # An ODF package starts with a stored "mimetype" entry holding the type (ODF 1.2 §3.3).
    if head[:4] != b"PK\x03\x04" or head[30:38] != b"mimetype":
        return None
    declared = head[38 : 38 + 60].split(b"PK", 1)[0].decode("ascii", errors="ignore")
    return declared if declared in _ODF else None


def _ooxml_type(head: bytes, file_name: str) -> str | None:
    if head[:4] != b"PK\x03\x04" or b"[Content_Types].xml" not in head:
        return None
    name = file_name.lower()
    for mime, (ext, part) in _OOXML.items():
        if name.endswith(ext) and part in head:
            return mime
    return None


def _text_type(head: bytes, file_name: str, complete: bool) -> str | None:
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return None
    if _NOT_TEXT.search(text):
        return None
    return "text/csv" if file_name.lower().endswith(".csv") else "text/plain"


def _type_of(head: bytes, file_name: str, complete: bool) -> str | None:
    if not head:
        return None
    if head[:4] == b"PK\x03\x04":  # zip: only the office packages, recognised by their markers
        return _odf_type(head) or _ooxml_type(head, file_name)
    try:
        # Magic numbers only: a hint from the name could label random bytes.
        mime = puremagic.from_string(head, mime=True)
    except (puremagic.PureError, ValueError):
        mime = ""
    if mime in FILE_TYPES:
        return mime
    if mime:
        return None
    return _text_type(head, file_name, complete)


def sniff(
    head: bytes, file_name: str = "", *, complete: bool, allowed: Collection[str] = FILE_TYPES
) -> str | None:
    """The content type of a file starting with `head` if it is one of `allowed`, else None
    (refuse it). `complete` says `head` is the whole file (a text may then end exactly at its
    end; a text is UTF-8 throughout `head`). A CSV is plain text where CSV is not kept."""
    found = _type_of(head, file_name, complete)
    if found == "text/csv" and found not in allowed:
        found = "text/plain"
    return found if found in allowed else None


MAX_NAME_CHARS = 150
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt", ".text", ".md", ".log"),
}
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_file_name(
    raw: str | None,
    content_type: str | None = None,
    *,
    fallback: str = "document",
    max_chars: int = MAX_NAME_CHARS,
    ascii_only: bool = False,
) -> str:
    """A name with no path, no control characters and nothing a file system or shell treats
    specially (`fallback` when nothing is left). With `content_type`, its extension says what
    the bytes are (appended when it does not). With `ascii_only`, each run of anything but ASCII
    letters, digits and `._ -` becomes one `_`: a name a header can quote as it is."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    if ascii_only:
        name = _NOT_ASCII_SAFE.sub("_", name)
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    name = sanitize_filename(name, platform="universal", max_len=max_chars)
    name = name.strip(" .") or fallback
    if content_type is not None:
        extensions = _EXTENSIONS.get(content_type, (FILE_TYPES[content_type],))
        if not name.lower().endswith(extensions):
            name = name[: max_chars - len(extensions[0])] + extensions[0]
    return name


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name in RFC 5987 form (RFC 6266):
    always a download, never rendered in the platform's origin."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in fallback).strip()
    fallback = fallback or "document"
    quoted = urllib.parse.quote(name, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


class FileFacts:
    """A file's size, SHA-256 and first HEAD_BYTES (to sniff), gathered as its pieces go by;
    nothing more of it is held."""

    def __init__(self) -> None:
        self.size = 0
        self._sha256 = hashlib.sha256()
        self._head = bytearray()

    @classmethod
    def of(cls, content: bytes) -> FileFacts:
        """The facts of a file held whole."""
        facts = cls()
        facts.add(content)
        return facts

    def add(self, piece: bytes) -> bool:
        """Count and hash a piece; True when it is the one that completes the head."""
        self.size += len(piece)
        self._sha256.update(piece)
        if len(self._head) >= HEAD_BYTES:
            return False
        self._head += piece[: HEAD_BYTES - len(self._head)]
        return len(self._head) >= HEAD_BYTES

    @property
    def head(self) -> bytes:
        return bytes(self._head)

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of every byte added so far."""
        return self._sha256.hexdigest()
