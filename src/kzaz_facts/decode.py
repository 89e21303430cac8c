"""Bytes -> text: the encoding read from a byte-order mark or tried in turn, binaries refused.

Nothing is changed but a dropped byte-order mark, so offsets into the text stay exact.
"""

from __future__ import annotations

import codecs
import re

from kzaz_facts.errors import InputError

# Signatures of the binary files most often dropped into a folder of articles by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)

# (byte-order mark, codec for the bytes after it, encoding name reported on the Document)
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    # Reported as "utf-16": the codec that, given the whole file, drops the mark as we do.
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def decode_bytes(raw: bytes, path: str) -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding name)``.

    Tried in this order: a UTF-8 byte-order mark (``utf-8-sig``), a UTF-16 LE or BE mark
    (``utf-16``), strict UTF-8 (``utf-8``), then a single-byte Windows code page: cp1251 when
    the bytes above 0xC0 mostly come in runs, as the letters of Cyrillic words do, else
    cp1252 (Western accents stand alone between ASCII letters). A byte-order mark is dropped
    from the text, so decoding the file with the reported encoding gives the same text;
    nothing else is changed, line endings included.

    Raises ``InputError`` with kind ``"empty"`` (no bytes, or only whitespace), ``"binary"``
    (a PNG/PDF/ZIP/GIF/JPEG signature, or NUL bytes outside UTF-16) or ``"undecodable"``.

    >>> decode_bytes("Baku – Astana".encode(), "a.txt")
    ('Baku – Astana', 'utf-8')
    >>> decode_bytes(b"\\x93Middle Corridor\\x94", "b.txt")
    ('“Middle Corridor”', 'cp1252')
    >>> decode_bytes("Баку – Астана, Société".encode("cp1251", "replace"), "c.txt")
    ('Баку – Астана, Soci?t?', 'cp1251')
    """
    if not raw or raw.isspace():  # as ``not raw.strip()``, without copying a long file
        raise InputError(path, "empty", "file is empty")
    for magic, kind_name in _MAGIC:
        if raw.startswith(magic):
            raise InputError(path, "binary", f"file is {kind_name}, not text")
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            text = _decode_strict(raw[len(bom) :], codec)
            if text is None:
                message = f"starts with a {name} byte-order mark but is not {name}"
                raise InputError(path, "undecodable", message)
            return _checked_text(text, path), name
    if b"\x00" in raw:
        raise InputError(
            path, "binary", "file contains NUL bytes: binary, or UTF-16 without a byte-order mark"
        )
    for codec in ("utf-8", "cp1251" if _looks_cyrillic(raw) else "cp1252"):
        text = _decode_strict(raw, codec)
        if text is not None:
            return _checked_text(text, path), codec
    raise InputError(path, "undecodable", "file is neither UTF-8 nor Windows-1251/1252 text")


_HIGH_LETTER = re.compile(rb"[\xc0-\xff]+")


def _looks_cyrillic(raw: bytes) -> bool:
    """Whether single-byte text reads as cp1251: most letters above 0xC0 stand in runs.

    >>> _looks_cyrillic("Астана и Баку".encode("cp1251"))
    True
    >>> _looks_cyrillic("Société Générale, Gülnara".encode("cp1252"))
    False
    """
    runs = [len(run) for run in _HIGH_LETTER.findall(raw)]
    letters = sum(runs)
    in_runs = sum(length for length in runs if length >= 2)
    return letters >= 4 and in_runs >= 0.6 * letters


def _decode_strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def _checked_text(text: str, path: str) -> str:
    if not text or text.isspace():
        raise InputError(path, "empty", "file holds only whitespace")
    if "\x00" in text:
        raise InputError(path, "binary", "file contains NUL characters")
    return text
