"""What kind of file a plan arrived as, read from its content (magic bytes), never from its name.

A Markdown file renamed ``.pdf`` is text; a Word file saved as ``.txt`` is Word. Each kind that cannot be read gets
its own clear reason, so an officer knows what to send instead.
"""

from __future__ import annotations

import io
import zipfile
from typing import Literal

__all__ = ["FileKind", "detect_kind"]

FileKind = Literal["docx", "text", "empty", "pdf", "legacy_doc", "archive", "binary"]

_PDF = b"%PDF-"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # Word 97-2003 (.doc), old Excel and other OLE2 compound files
_ZIP = b"PK\x03\x04"
_TEXT_SAMPLE = 8192


def detect_kind(data: bytes) -> FileKind:
    """The kind of a plan file's bytes: ``docx`` (a zip holding ``word/document.xml``), ``text`` (anything without
    NUL bytes in its first 8 KiB), ``empty`` (nothing but whitespace), or a kind we cannot read."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:_TEXT_SAMPLE]
    if not head:
        return "empty"
    if data.startswith(_PDF) or head.startswith(_PDF):
        return "pdf"
    if data.startswith(_OLE2):
        return "legacy_doc"
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "docx"  # a damaged zip: most likely a Word file cut short, and the .docx reader says so
        return "docx" if "word/document.xml" in names else "archive"
    if b"\x00" in head:
        return "binary"
    return "text"
