"""File -> ``Document``: decode the bytes, split the header from the body, keep offsets.

Nothing here changes the text: no newline or character normalisation, so ``body_start`` and
``body_end`` index the decoded file text exactly (``text[body_start:body_end]`` is the body).

Header forms, tried in this order at the top of the file (blank lines skipped first):

1. A date header ``" date 2023-03-02 ..."`` (leading blanks, the word ``date``, an optional
   colon, an ISO date, optionally a time). ``date_source`` is ``"header"``. A header value
   that cannot be read (``2023-13-45``) is kept in ``Document.warnings`` (reported as a
   ``bad_date`` warning, not a failure) and the date is found as if there were no header.
   When the rest of the header line is empty, the lines below are read as in form 2.
2. Front matter: an optional date line, a title line, an optional date line
   (``10 April 2023, 15:30``, ``April 10, 2023``, ``10.04.2023``, ``2023-04-10 15:30``) and the
   title repeated (skipped). A title is one short line that does not end like a sentence.
3. Then, at the first non-space character: an optional byline line (``By Rasana Gasimova``)
   and an optional dateline (``BAKU, Azerbaijan, March 2.``, ``ASTANA –``,
   ``ASTANA, Kazakhstan (Trend) -``), which ends at ``.`` or a dash. A dateline with a year
   dates an article that has no header date (``date_source`` ``"dateline"``).
4. An article with no readable date anywhere above gets the latest plain year of its body
   (``infer_content_date``), ``date_source`` ``"content"``: on the dateline's day when the
   dateline gives a month and day without a year ("BAKU, Azerbaijan, March 19." and 2024 in the
   body: 2024-03-19, precision day), else as 1 January (precision year). The source stays
   ``content`` because the year is still a guess.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kzaz_facts.errors import InputError
from kzaz_facts.header_patterns import header_patterns
from kzaz_facts.records import DatePrecision, DateSource, Document, ErrorKind

# --- tables -------------------------------------------------------------------------------

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

_TITLE_MAX_CHARS = 200
_YEAR_MIN, _YEAR_MAX = 1990, 2100  # plain years counted by infer_content_date
_DATE_YEAR_MIN = 1900  # an explicit header or dateline date before this is a typo

# --- patterns -----------------------------------------------------------------------------

# " date 2023-03-02 BAKU, ..." — only numeric values, so "Date: 10 April 2023" is left to the
# date-line rule. A value with an impossible month or day still matches (and reads as None).
_HEADER_RE = re.compile(
    r"[ \t]*(?i:date)[ \t]*:?[ \t]*"
    r"(?P<value>\d{4}-\d{1,2}-\d{1,2}|\d{4}-\d{1,2}|\d{4}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:(?:T|[ \t]+)\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"(?=\s|\Z)"
)
_HEADER_ISO_RE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")
_LINE_RE = re.compile(r"(?P<content>[^\r\n]*)(?:\r\n|\r|\n)?")
_SPACE_RE = re.compile(r"\s*")
_SPACES_RUN_RE = re.compile(r"\s+")

_RANGE_BEFORE_RE = re.compile(r"\d{2,4}[ \t]*[-–—/][ \t]*\Z")
_CONTEXT_CHARS = 48


# --- decoding -----------------------------------------------------------------------------


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
    if not raw.strip():
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
    if not text.strip():
        raise InputError(path, "empty", "file holds only whitespace")
    if "\x00" in text:
        raise InputError(path, "binary", "file contains NUL characters")
    return text


# --- header parsing -----------------------------------------------------------------------


class _Line(NamedTuple):
    start: int
    end: int  # end of the content, before the line break
    next: int  # start of the following line (== end of text on the last line)


@dataclass
class _Header:
    title: str | None = None
    date: dt.date | None = None
    precision: DatePrecision | None = None
    source: DateSource = "none"
    byline: str | None = None
    dateline: str | None = None
    bad_date: str | None = None  # a "date" header value that is no date ("2023-13-45")
    day_month: tuple[int, int] | None = None  # the dateline's month and day, given no year

    def offer_date(self, found: tuple[dt.date, DatePrecision] | None, source: DateSource) -> None:
        """Keep the first readable date: header before dateline before content."""
        if found is not None and self.date is None:
            self.date, self.precision = found
            self.source = source


def _line_at(text: str, pos: int) -> _Line:
    match = _LINE_RE.match(text, pos)
    if match is None:  # the pattern matches the empty string, so only for type checkers
        return _Line(pos, pos, pos)
    return _Line(pos, match.end("content"), match.end())


def _skip_blank_lines(text: str, pos: int) -> int:
    while pos < len(text):
        line = _line_at(text, pos)
        if text[line.start : line.end].strip() or line.next == pos:
            break
        pos = line.next
    return pos


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE_RE.match(text, pos)
    return pos if match is None else match.end()


def _month_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    return header_patterns().months.get(token.lower().rstrip("."), 0)


def _make_date(year: str, month: str, day: str | None) -> tuple[dt.date, DatePrecision] | None:
    try:
        value = dt.date(int(year), _month_number(month), int(day) if day else 1)
    except ValueError:
        return None
    if value.year < _DATE_YEAR_MIN or value.year > _YEAR_MAX:
        return None
    return value, ("day" if day else "month")


def _date_from_match(match: re.Match[str]) -> tuple[dt.date, DatePrecision] | None:
    groups = match.groupdict()
    for form in ("dmy", "mdy", "iso", "dot"):
        year = groups[f"{form}_y"]
        if year is not None:
            return _make_date(year, groups[f"{form}_m"], groups[f"{form}_d"])
    return _make_date(groups["my_y"], groups["my_m"], None)


def _header_date(value: str) -> tuple[dt.date, DatePrecision] | None:
    iso = _HEADER_ISO_RE.fullmatch(value)
    if iso is None:  # dd.mm.yyyy
        full = header_patterns().date_search.fullmatch(value)
        return None if full is None else _date_from_match(full)
    if iso.group("m") is None:
        year = int(iso.group("y"))
        return (dt.date(year, 1, 1), "year") if _DATE_YEAR_MIN <= year <= _YEAR_MAX else None
    return _make_date(iso.group("y"), iso.group("m"), iso.group("d"))


def _normalised(line: str) -> str:
    return _SPACES_RUN_RE.sub(" ", line).strip().casefold()


def _looks_like_title(text: str, line: _Line) -> bool:
    """One short line that is not a sentence, dialogue, byline or dateline, with text below.

    >>> _looks_like_title("Ferry line opens\\n\\nThe line links ports.", _Line(0, 16, 17))
    True
    >>> _looks_like_title("Kazakhstan shipped grain in 2022.\\nMore.", _Line(0, 33, 34))
    False
    """
    content = text[line.start : line.end].strip()
    if not content or len(content) > _TITLE_MAX_CHARS or not text[line.next :].strip():
        return False
    if content[0] in "-–—•*" or not any(char.isalpha() for char in content):
        return False
    if header_patterns().byline.match(content) or header_patterns().dateline.match(content):
        return False
    # A hard-wrapped first sentence goes on in lower case on the very next line.
    following = text[line.next : _line_at(text, line.next).end].lstrip()
    if following[:1].islower():
        return False
    return not content.rstrip("\"'”’»)]").endswith((".", ",", ";", ":"))


def _take_date_line(text: str, line: _Line, header: _Header) -> bool:
    match = header_patterns().date_line.fullmatch(text, line.start, line.end)
    if match is None:
        return False
    header.offer_date(_date_from_match(match), "header")
    return True


def _read_front_matter(text: str, pos: int, header: _Header) -> int:
    """Date line, title, date line, repeated title; returns where the rest of the header starts."""
    pos = _skip_blank_lines(text, pos)
    line = _line_at(text, pos)
    if _take_date_line(text, line, header):
        pos = _skip_blank_lines(text, line.next)
        line = _line_at(text, pos)
    if not _looks_like_title(text, line):
        return pos
    header.title = text[line.start : line.end].strip()
    pos = _skip_blank_lines(text, line.next)
    line = _line_at(text, pos)
    if _take_date_line(text, line, header):
        pos = _skip_blank_lines(text, line.next)
        line = _line_at(text, pos)
    if _normalised(text[line.start : line.end]) == _normalised(header.title):
        pos = line.next
    return pos


def _read_header(text: str, header: _Header) -> int:
    """Fill ``header`` from the top of ``text``; return the offset where the body begins."""
    pos = _skip_blank_lines(text, 1 if text.startswith("\ufeff") else 0)
    date_header = _HEADER_RE.match(text, pos)
    if date_header is None:
        pos = _read_front_matter(text, pos, header)
    else:
        value = date_header.group("value")
        header_date = _header_date(value)
        if header_date is None:
            header.bad_date = value
        header.offer_date(header_date, "header")
        pos = date_header.end()
        line = _line_at(text, pos)
        if not text[pos : line.end].strip():
            pos = _read_front_matter(text, line.next, header)
    pos = _skip_space(text, pos)
    byline = header_patterns().byline.match(text, pos)
    if byline is not None:
        header.byline = byline.group("byline").strip()
        pos = _skip_space(text, byline.end())
    dateline = header_patterns().dateline.match(text, pos)
    if dateline is not None:
        header.dateline = dateline.group("dateline").strip()
        found = header_patterns().date_search.search(header.dateline)
        header.offer_date(None if found is None else _date_from_match(found), "dateline")
        header.day_month = _day_month(header.dateline)
        pos = _skip_space(text, dateline.end())
    return pos


def parse_document(
    text: str, *, doc_id: str, path: str, encoding: str = "utf-8", content_hash: str = ""
) -> Document:
    """Split decoded ``text`` into header fields and a body; never raises on odd headers.

    >>> doc = parse_document(" date 2024-03-11 ASTANA – Talks began.\\n", doc_id="d", path="d")
    >>> doc.date, doc.date_source, doc.dateline, doc.body
    (datetime.date(2024, 3, 11), 'header', 'ASTANA', 'Talks began.')
    """
    header = _Header()
    body_end = len(text.rstrip())
    body_start = min(_read_header(text, header), body_end)
    if header.date is None:
        year = infer_content_date(text[body_start:body_end])
        if year is not None:
            header.offer_date(_content_date(year, header.day_month), "content")
    warnings: tuple[tuple[ErrorKind, str], ...] = ()
    if header.bad_date is not None:
        warnings = (("bad_date", f"header date {header.bad_date!r} is no date; ignored"),)
    return Document(
        doc_id=doc_id,
        path=path,
        title=header.title,
        date=header.date,
        date_source=header.source,
        date_precision=header.precision,
        byline=header.byline,
        dateline=header.dateline,
        body_start=body_start,
        body_end=body_end,
        encoding=encoding,
        content_hash=content_hash,
        text=text,
        warnings=warnings,
    )


def _day_month(dateline: str) -> tuple[int, int] | None:
    """The month and day of a dateline that gives no year ("BAKU, Azerbaijan, March 19").

    >>> _day_month("BAKU, Azerbaijan, March 19"), _day_month("ASTANA, 2 Dec. (Trend)")
    ((3, 19), (12, 2))
    >>> _day_month("BAKU, March 19, 2024") is None, _day_month("BAKU") is None
    (True, True)
    """
    found = header_patterns().day_month.search(dateline)
    if found is None:
        return None
    month = found.group("md_m") or found.group("dm_m")
    day = found.group("md_d") or found.group("dm_d")
    return _month_number(month), int(day)


def _content_date(year: int, day_month: tuple[int, int] | None) -> tuple[dt.date, DatePrecision]:
    """The guessed year, on the dateline's day when it gave one (and that day exists then).

    >>> _content_date(2024, (3, 19))
    (datetime.date(2024, 3, 19), 'day')
    >>> _content_date(2023, (2, 29)), _content_date(2023, None)
    ((datetime.date(2023, 1, 1), 'year'), (datetime.date(2023, 1, 1), 'year'))
    """
    if day_month is not None:
        try:
            return dt.date(year, *day_month), "day"
        except ValueError:
            pass
    return dt.date(year, 1, 1), "year"


def infer_content_date(body: str) -> int | None:
    """The latest plain year (1990–2100) the body mentions outside a target or a range.

    Years after "by", "until", "till", "through", "before" or "up to" are targets, and years
    in "2018-2020" or "2023/24" are spans; amounts ("$2023"), decimals and "2023 tons" are no
    years at all. ``None`` when nothing is left.

    >>> infer_content_date("In 2023 turnover grew; the road map for 2018-2020 ended.")
    2023
    >>> infer_content_date("The target is $1 billion by 2030, up from 2022.")
    2022
    >>> infer_content_date("Trade will double until the end of 2026.") is None
    True
    """
    latest: int | None = None
    for match in header_patterns().year.finditer(body):
        year = int(match.group("year"))
        if not _YEAR_MIN <= year <= _YEAR_MAX or (latest is not None and year <= latest):
            continue
        before = body[max(0, match.start() - _CONTEXT_CHARS) : match.start()]
        if _RANGE_BEFORE_RE.search(before) or header_patterns().future_before.search(before):
            continue
        latest = year
    return latest


# --- files --------------------------------------------------------------------------------

# Larger files are reported as "too_large" without being read: news articles are a few
# kilobytes, and a file this size is a dump, a log or a disk image dropped in by mistake.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_FILE_TYPES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def display_path(path: Path | str) -> str:
    r"""The path as text any output can carry: bytes of the name that are not UTF-8 (kept by
    Python as surrogate escapes) are written ``\xNN``; every other name is unchanged.

    >>> display_path("caf\udce9.txt"), display_path("café.txt")
    ('caf\\xe9.txt', 'café.txt')
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _check_file(status: os.stat_result, name: str, max_bytes: int) -> None:
    """Refuse what is not a regular file of at most ``max_bytes``, from its status alone."""
    if stat.S_ISDIR(status.st_mode):
        raise InputError(name, "unreadable", "is a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        what = next((text for test, text in _FILE_TYPES if test(status.st_mode)), "special")
        raise InputError(name, "not_regular_file", f"is {what}, not a regular file; not read")
    if status.st_size > max_bytes:
        message = f"{status.st_size} bytes, over the --max-bytes limit of {max_bytes}; not read"
        raise InputError(name, "too_large", message)


def read_file_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``.

    The file's status is checked before it is opened, so a FIFO, a device (or a link to
    ``/dev/zero``) or an oversized file is never read; it is opened without blocking and
    checked again, in case it was swapped in between. Raises ``InputError`` with kind
    ``"not_found"``, ``"unreadable"``, ``"not_regular_file"`` or ``"too_large"``.
    """
    name = display_path(path)
    try:
        _check_file(os.stat(path), name, max_bytes)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            _check_file(os.fstat(stream.fileno()), name, max_bytes)
            raw = stream.read(max_bytes + 1)
    except (FileNotFoundError, NotADirectoryError) as error:
        raise InputError(name, "not_found", "no such file") from error
    except IsADirectoryError as error:
        raise InputError(name, "unreadable", "is a directory, not a file") from error
    except PermissionError as error:
        raise InputError(name, "unreadable", "permission denied") from error
    except OSError as error:
        raise InputError(name, "unreadable", f"cannot read ({error.strerror})") from error
    if len(raw) > max_bytes:  # grew after it was checked
        raise InputError(name, "too_large", f"over the --max-bytes limit of {max_bytes}; not read")
    return raw


def load_document(
    path: Path, doc_id: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read, decode and parse one file; ``doc_id`` is the file stem unless given,
    ``content_hash`` the SHA-256 of its bytes.

    Raises ``InputError`` with a ``read_file_bytes`` or a ``decode_bytes`` kind.
    """
    name = display_path(path)
    raw = read_file_bytes(path, max_bytes)
    text, encoding = decode_bytes(raw, name)
    return parse_document(
        text,
        doc_id=display_path(path.stem) if doc_id is None else doc_id,
        path=name,
        encoding=encoding,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def iter_input_paths(
    paths: Sequence[str], *, follow_links: bool = False
) -> Iterator[Path | InputError]:
    """Expand command-line paths into files to load, in a deterministic order.

    A directory gives every ``*.txt`` below it, sorted by relative path; a named file is taken
    whatever its extension. A file reached twice (named twice, or through a symlink) is given
    at its first mention and reported as ``"duplicate"`` after. Inside a directory, a symlink
    that leads out of it is not followed (``"link_outside"``) unless ``follow_links``.
    Problems are yielded, not raised: ``"not_found"`` for a missing path, ``"no_input"`` for a
    directory without ``.txt`` files, ``"unreadable"`` for a directory that cannot be listed.
    """
    seen: dict[object, Path] = {}
    for name in paths:
        path = Path(name)
        shown = display_path(name)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as error:  # e.g. a symlink loop, or a parent without search permission
            yield InputError(shown, "unreadable", f"cannot inspect ({error.strerror})")
            continue
        if not exists:
            yield InputError(shown, "not_found", "no such file or directory")
            continue
        found = [path] if not is_dir else None
        if found is None:
            found, problems = _txt_files_below(path, follow_links)
            yield from problems
            if not found and not problems:
                yield InputError(shown, "no_input", "directory holds no .txt files")
        for file_path in found:
            key = _identity(file_path)
            first = seen.setdefault(key, file_path)
            if first is file_path:
                yield file_path
            else:
                message = f"same file as {display_path(first)}; read once"
                yield InputError(display_path(file_path), "duplicate", message)


def _identity(path: Path) -> object:
    """What makes two paths one file: device and inode (the resolved path if it cannot be
    read)."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.normcase(os.path.realpath(path))
    return (status.st_dev, status.st_ino)


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([os.path.realpath(path), root]) == root


def _leads_out(path: str, root: str) -> bool:
    """A symlink to a regular file or a directory outside ``root`` (the real path). A link to
    a device or a FIFO is left to the loader, which refuses it by kind."""
    if not os.path.islink(path) or _inside(path, root):
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:  # a dangling link: the loader reports it as not found
        return False
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


def _txt_files_below(root: Path, follow_links: bool) -> tuple[list[Path], list[InputError]]:
    """Every ``*.txt`` under ``root``, following directory symlinks but each directory once;
    symlinks that lead out of ``root`` only when ``follow_links``."""
    problems: list[InputError] = []
    found: list[tuple[tuple[str, ...], Path]] = []
    visited: set[tuple[int, int]] = set()
    real_root = os.path.realpath(root)

    def report(error: OSError) -> None:
        where = display_path(error.filename or root)
        problems.append(InputError(where, "unreadable", f"cannot list ({error.strerror})"))

    def outside(dirpath: str, name: str) -> bool:
        if follow_links or not _leads_out(os.path.join(dirpath, name), real_root):
            return False
        where = display_path(os.path.join(dirpath, name))
        message = f"symlink leads outside {display_path(root)}; not read (see --follow-links)"
        problems.append(InputError(where, "link_outside", message))
        return True

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=True):
        try:
            status = os.stat(dirpath)
        except OSError as error:
            report(error)
            dirnames.clear()
            continue
        identity = (status.st_dev, status.st_ino)
        if identity in visited:  # a symlink loop, or a second link to a listed directory
            dirnames.clear()
            continue
        visited.add(identity)
        # Sorted so that, of two links to one directory, the same one wins on every system.
        dirnames[:] = sorted(name for name in dirnames if not outside(dirpath, name))
        for filename in filenames:
            if filename.lower().endswith(".txt") and not outside(dirpath, filename):
                file_path = Path(dirpath, filename)
                found.append((file_path.relative_to(root).parts, file_path))
    found.sort(key=lambda item: item[0])
    problems.sort(key=lambda problem: problem.path)
    return [file_path for _, file_path in found], problems
