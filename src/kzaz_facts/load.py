"""File -> ``Document``: split the header from the body, read its date, keep offsets.

The bytes are read by ``input_files`` and decoded by ``decode``; ``load_document`` joins the
three steps.

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

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kzaz_facts.decode import decode_bytes
from kzaz_facts.header_patterns import HeaderPatterns, header_patterns
from kzaz_facts.input_files import DEFAULT_MAX_BYTES, display_path, read_file_bytes
from kzaz_facts.records import DatePrecision, DateSource, Document, ErrorKind

# --- tables -------------------------------------------------------------------------------
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


def _month_number(token: str, months: dict[str, int]) -> int:
    if token.isdigit():
        return int(token)
    return months.get(token.lower().rstrip("."), 0)


def _make_date(
    year: str, month: str, day: str | None, months: dict[str, int]
) -> tuple[dt.date, DatePrecision] | None:
    try:
        value = dt.date(int(year), _month_number(month, months), int(day) if day else 1)
    except ValueError:
        return None
    if value.year < _DATE_YEAR_MIN or value.year > _YEAR_MAX:
        return None
    return value, ("day" if day else "month")


def _date_from_match(
    match: re.Match[str], months: dict[str, int]
) -> tuple[dt.date, DatePrecision] | None:
    groups = match.groupdict()
    for form in ("dmy", "mdy", "iso", "dot"):
        year = groups[f"{form}_y"]
        if year is not None:
            return _make_date(year, groups[f"{form}_m"], groups[f"{form}_d"], months)
    return _make_date(groups["my_y"], groups["my_m"], None, months)


def _header_date(value: str, patterns: HeaderPatterns) -> tuple[dt.date, DatePrecision] | None:
    iso = _HEADER_ISO_RE.fullmatch(value)
    if iso is None:  # dd.mm.yyyy
        full = patterns.date_search.fullmatch(value)
        return None if full is None else _date_from_match(full, patterns.months)
    if iso.group("m") is None:
        year = int(iso.group("y"))
        return (dt.date(year, 1, 1), "year") if _DATE_YEAR_MIN <= year <= _YEAR_MAX else None
    return _make_date(iso.group("y"), iso.group("m"), iso.group("d"), patterns.months)


def _normalised(line: str) -> str:
    return _SPACES_RUN_RE.sub(" ", line).strip().casefold()


def _looks_like_title(text: str, line: _Line, patterns: HeaderPatterns) -> bool:
    """One short line that is not a sentence, dialogue, byline or dateline, with text below.

    >>> title = lambda text, line: _looks_like_title(text, line, header_patterns())
    >>> title("Ferry line opens\\n\\nThe line links ports.", _Line(0, 16, 17))
    True
    >>> title("Kazakhstan shipped grain in 2022.\\nMore.", _Line(0, 33, 34))
    False
    """
    content = text[line.start : line.end].strip()
    nothing_below = _skip_space(text, line.next) == len(text)  # no copy of a long rest
    if not content or len(content) > _TITLE_MAX_CHARS or nothing_below:
        return False
    if content[0] in "-–—•*" or not any(char.isalpha() for char in content):
        return False
    if patterns.byline.match(content) or patterns.dateline.match(content):
        return False
    # A hard-wrapped first sentence goes on in lower case on the very next line.
    following = text[line.next : _line_at(text, line.next).end].lstrip()
    if following[:1].islower():
        return False
    return not content.rstrip("\"'”’»)]").endswith((".", ",", ";", ":"))


def _take_date_line(text: str, line: _Line, header: _Header, patterns: HeaderPatterns) -> bool:
    match = patterns.date_line.fullmatch(text, line.start, line.end)
    if match is None:
        return False
    header.offer_date(_date_from_match(match, patterns.months), "header")
    return True


def _read_front_matter(text: str, pos: int, header: _Header, patterns: HeaderPatterns) -> int:
    """Date line, title, date line, repeated title; returns where the rest of the header starts."""
    pos = _skip_blank_lines(text, pos)
    line = _line_at(text, pos)
    if _take_date_line(text, line, header, patterns):
        pos = _skip_blank_lines(text, line.next)
        line = _line_at(text, pos)
    if not _looks_like_title(text, line, patterns):
        return pos
    header.title = text[line.start : line.end].strip()
    pos = _skip_blank_lines(text, line.next)
    line = _line_at(text, pos)
    if _take_date_line(text, line, header, patterns):
        pos = _skip_blank_lines(text, line.next)
        line = _line_at(text, pos)
    if _normalised(text[line.start : line.end]) == _normalised(header.title):
        pos = line.next
    return pos


def _read_header(text: str, header: _Header, patterns: HeaderPatterns) -> int:
    """Fill ``header`` from the top of ``text``; return the offset where the body begins."""
    pos = _skip_blank_lines(text, 1 if text.startswith("\ufeff") else 0)
    date_header = _HEADER_RE.match(text, pos)
    if date_header is None:
        pos = _read_front_matter(text, pos, header, patterns)
    else:
        value = date_header.group("value")
        header_date = _header_date(value, patterns)
        if header_date is None:
            header.bad_date = value
        header.offer_date(header_date, "header")
        pos = date_header.end()
        line = _line_at(text, pos)
        if not text[pos : line.end].strip():
            pos = _read_front_matter(text, line.next, header, patterns)
    pos = _skip_space(text, pos)
    byline = patterns.byline.match(text, pos)
    if byline is not None:
        header.byline = byline.group("byline").strip()
        pos = _skip_space(text, byline.end())
    dateline = patterns.dateline.match(text, pos)
    if dateline is not None:
        header.dateline = dateline.group("dateline").strip()
        found = patterns.date_search.search(header.dateline)
        read = None if found is None else _date_from_match(found, patterns.months)
        header.offer_date(read, "dateline")
        header.day_month = _day_month(header.dateline, patterns)
        pos = _skip_space(text, dateline.end())
    return pos


def parse_document(
    text: str,
    *,
    doc_id: str,
    path: str,
    encoding: str = "utf-8",
    content_hash: str = "",
    patterns: HeaderPatterns | None = None,
) -> Document:
    """Split decoded ``text`` into header fields and a body; never raises on odd headers.

    ``patterns``: the header regexes of a data directory (``Tables.header``); the packaged
    data's when None.

    >>> doc = parse_document(" date 2024-03-11 ASTANA – Talks began.\\n", doc_id="d", path="d")
    >>> doc.date, doc.date_source, doc.dateline, doc.body
    (datetime.date(2024, 3, 11), 'header', 'ASTANA', 'Talks began.')
    """
    patterns = header_patterns() if patterns is None else patterns
    header = _Header()
    body_end = stripped_end(text)
    body_start = min(_read_header(text, header, patterns), body_end)
    if header.date is None:
        year = infer_content_date(text, body_start, body_end, patterns)
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


def _day_month(dateline: str, patterns: HeaderPatterns) -> tuple[int, int] | None:
    """The month and day of a dateline that gives no year ("BAKU, Azerbaijan, March 19").

    >>> day_month = lambda dateline: _day_month(dateline, header_patterns())
    >>> day_month("BAKU, Azerbaijan, March 19"), day_month("ASTANA, 2 Dec. (Trend)")
    ((3, 19), (12, 2))
    >>> day_month("BAKU, March 19, 2024") is None, day_month("BAKU") is None
    (True, True)
    """
    found = patterns.day_month.search(dateline)
    if found is None:
        return None
    month = found.group("md_m") or found.group("dm_m")
    day = found.group("md_d") or found.group("dm_d")
    return _month_number(month, patterns.months), int(day)


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


def stripped_end(text: str, block: int = 65_536) -> int:
    """``len(text.rstrip())``, without copying the text (a long file would be held twice).

    >>> stripped_end("one two \\n\\n"), stripped_end(" \\n", block=1), stripped_end("a  ", block=2)
    (7, 0, 1)
    """
    end = len(text)
    while end > 0:
        tail = text[max(0, end - block) : end]
        kept = len(tail.rstrip())
        if kept:
            return end - len(tail) + kept
        end -= len(tail)
    return 0


def infer_content_date(
    text: str, start: int = 0, end: int | None = None, patterns: HeaderPatterns | None = None
) -> int | None:
    """The latest plain year (1990–2100) the body (``text[start:end]``, read in place) mentions
    outside a target or a range.

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
    patterns = header_patterns() if patterns is None else patterns
    end = len(text) if end is None else end
    if start > 0 and not text[start - 1].isspace():
        # The year rule looks one character back: at ``start`` it must see what it sees at
        # the start of a string (whitespace is no character it rules out).
        text, start, end = text[start:end], 0, end - start
    latest: int | None = None
    for match in patterns.year.finditer(text, start, end):
        year = int(match.group("year"))
        if not _YEAR_MIN <= year <= _YEAR_MAX or (latest is not None and year <= latest):
            continue
        before = text[max(start, match.start() - _CONTEXT_CHARS) : match.start()]
        if _RANGE_BEFORE_RE.search(before) or patterns.future_before.search(before):
            continue
        latest = year
    return latest


# --- files --------------------------------------------------------------------------------


def load_document(
    path: Path,
    doc_id: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    patterns: HeaderPatterns | None = None,
) -> Document:
    """Read, decode and parse one file; ``doc_id`` is the file stem unless given,
    ``content_hash`` the SHA-256 of its bytes; ``patterns`` as for ``parse_document``.

    Raises ``InputError`` with a ``read_file_bytes`` or a ``decode_bytes`` kind.
    """
    name = display_path(path)
    raw = read_file_bytes(path, max_bytes)
    content_hash = hashlib.sha256(raw).hexdigest()
    text, encoding = decode_bytes(raw, name)
    del raw  # a long file is not held twice, as bytes and as text, while it is parsed
    return parse_document(
        text,
        doc_id=display_path(path.stem) if doc_id is None else doc_id,
        path=name,
        encoding=encoding,
        content_hash=content_hash,
        patterns=patterns,
    )
