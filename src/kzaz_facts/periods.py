"""Find period expressions in text and resolve them to calendar ranges against a reference date.

The wordings are data: ``data/periods.jsonl`` holds one row per family of wordings, each a
regex template whose ``{slots}`` are filled from ``data/calendar.json`` (month names, number
words, ordinals) and from the table's own year words ("last year", "the current year").
A row's ``kind`` and ``unit`` say what the wording means; lead rows are the words that may
stand before any period and change its role ("than", "since", "by", "in", "the end of").
``PeriodFinder`` compiles the table once; ``find`` only matches, ``resolve`` only computes.

>>> finder = default_finder()
>>> [(m.text, m.comparison) for m in finder.find("Trade rose 22% in January-October last year "
...                                                "compared to the same period of 2021.")]
[('in January-October last year', False), ('compared to the same period of 2021', True)]
>>> period = resolve(finder.find("over the past year")[0], date(2023, 3, 2))
>>> str(period.start), str(period.end), period.resolved
('2022-01-01', '2022-12-31', 'relative')

Choices made here rather than in the data:

* a month or day without a year is in the reference date's year ("in November", "on March
  10"); "last August" is the latest August before the reference month, "next August" the first
  one after it;
* "six months ago" is the whole calendar month six months before the reference's month
  (2022-09 for 2023-03-02); "a year earlier" is the previous calendar year; "more than" and
  other approximations before the count do not move it;
* "the past three years" are the three whole calendar years before the reference's year, "the
  past six months" the six whole months before its month; "the next five years" likewise after;
* "since X" runs from the start of X to the reference date; "by 2030" / "until 2025" is the
  named period itself, flagged ``future``;
* "the end of", "early", "mid-" keep the whole period: "at the end of last year" is last year;
* a relatively worded comparison baseline ("the same period of the previous year") stays
  unresolved, because it is relative to the fact's own period, not to the document date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kzaz_facts.errors import DataError
from kzaz_facts.records import Resolution
from kzaz_facts.resources import read_json, read_jsonl, resolve_data_dir, validated
from kzaz_facts.scan import quick_start

__all__ = [
    "PeriodFinder",
    "PeriodMatch",
    "Resolution",
    "ResolvedPeriod",
    "default_finder",
    "resolve",
    "year_span",
]

PERIODS_FILE = "periods.jsonl"
CALENDAR_FILE = "calendar.json"

Kind = Literal["lead", "calendar", "first", "final", "shift", "past", "next", "vague"]
Role = Literal["comparison", "since", "horizon", "neutral", "part"]
Unit = Literal["year", "half", "quarter", "month", "week", "day"]

_MONTHS_IN: dict[Unit, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_UNITS_OF_KIND: dict[Kind, tuple[Unit, ...]] = {
    "calendar": ("year", "half", "quarter", "month", "day"),
    "first": ("half", "quarter", "month"),
    "final": ("half", "quarter", "month"),
    "shift": get_args(Unit),
    "past": get_args(Unit),
    "next": get_args(Unit),
}
# Roles that change what the period means; "neutral" and "part" leads only widen the match.
_ROLE_GROUPS: tuple[Role, ...] = ("comparison", "since", "horizon")
# The longest run of lead words looked for before a period ("as compared with in the middle of ").
_LEAD_WINDOW = 80

_SLOT = re.compile(r"\{([a-z]+[0-9]?)\}")
_DASH = r"[-‐‑‒–—−]"
# A year is 1900..2100, not part of a longer number ("2,523", "12023"), not money ("$2023
# million") and not a percentage.
_YEAR = r"(?<![\d$€£₸¥.,])(?:19\d\d|20\d\d|2100)(?!\d|[.,]\d|\s*%)"


# -- data rows ----------------------------------------------------------------------------------
class PeriodRow(BaseModel):
    """One row of ``periods.jsonl``: a family of wordings and what they mean."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phrase: str = Field(min_length=1)
    pattern: str = Field(min_length=1)
    kind: Kind
    role: Role | None = None
    unit: Unit | None = None
    offset: int = 0
    count: int = Field(default=1, ge=1)
    direction: Literal["past", "future"] | None = None
    needs_lead: bool = False
    comparison: bool = False
    future: bool = False

    @model_validator(mode="after")
    def _fits_kind(self) -> PeriodRow:
        if (self.kind == "lead") != (self.role is not None):
            raise ValueError("a lead row needs a role, and only a lead row has one")
        if self.kind in ("lead", "vague"):
            if self.unit is not None:
                raise ValueError(f"a {self.kind} row has no unit")
        elif self.unit not in _UNITS_OF_KIND[self.kind]:
            allowed = ", ".join(_UNITS_OF_KIND[self.kind])
            raise ValueError(f"a {self.kind} row needs a unit among: {allowed}")
        return self


class MonthRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=12)
    name: str = Field(min_length=3)
    abbreviations: list[str]


class WeekdayRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    abbreviations: list[str]


class CalendarWords(BaseModel):
    """``calendar.json``: the words the slots of ``periods.jsonl`` are filled with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months: list[MonthRow] = Field(min_length=12, max_length=12)
    numbers: dict[str, int]
    ordinals: dict[str, int]
    approximately: list[str]
    range_words: list[str] = Field(min_length=1)
    weekdays: list[WeekdayRow] = Field(default_factory=list, max_length=7)


# -- matches and resolutions --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Meaning:
    """What a match says, with the numbers read from its text; ``resolve`` needs nothing else."""

    kind: Kind = "vague"
    unit: Unit | None = None
    since: bool = False
    year: int | None = None
    year_offset: int | None = None
    year2: int | None = None
    year2_offset: int | None = None
    month: int | None = None
    month2: int | None = None
    day: int | None = None
    day2: int | None = None
    index: int | None = None
    count: int = 1
    offset: int = 0
    direction: Literal["past", "future"] | None = None


_VAGUE = _Meaning()


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    """A period phrase: half-open offsets into the text given to ``find``; ``text`` is the slice.

    ``comparison`` marks a baseline ("than in the same period of 2022"), not the fact's own
    period; ``future`` marks a goal horizon ("by 2030", "in the medium term", "next year").
    """

    start: int
    end: int
    text: str
    comparison: bool = False
    future: bool = False
    _meaning: _Meaning = field(default=_VAGUE, repr=False)


@dataclass(frozen=True, slots=True)
class ResolvedPeriod:
    """Inclusive calendar dates, both ``None`` when the period cannot be placed."""

    start: date | None
    end: date | None
    resolved: Resolution


_UNRESOLVED = ResolvedPeriod(None, None, "unresolved")


@dataclass(frozen=True, slots=True)
class _Rule:
    row: PeriodRow
    regex: re.Pattern[str]


# -- finding ------------------------------------------------------------------------------------
class PeriodFinder:
    """Reads and compiles the period tables once; ``find`` then only runs the compiled regexes.

    >>> finder = default_finder()
    >>> [m.text for m in finder.find("In 2018 trade reached $221 million; for 2050 tonnes, no.")]
    ['In 2018']
    >>> [m.text for m in finder.find("The 2022-2026 plan was signed more than six months ago.")]
    ['2022-2026', 'more than six months ago']
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        directory = resolve_data_dir(data_dir)
        path = directory / PERIODS_FILE
        rows = read_jsonl(path, PeriodRow)
        words = _read_calendar(directory / CALENDAR_FILE)
        self.calendar = words
        # Full month and weekday names: "on Tuesday", "in March" say when, not what.
        self.when_words = frozenset(
            day.lower()
            for day in (*(m.name for m in words.months), *(w.name for w in words.weekdays))
        )
        periods = [row for row in rows if row.kind != "lead"]
        # Longer year words first, so "the year before last" is tried before "the year".
        year_words = sorted(
            (row for row in periods if _is_year_word(row)), key=lambda row: -len(row.phrase)
        )
        self._year_words = {
            f"{group}_w{number}": row
            for number, row in enumerate(year_words)
            for group in ("year", "year2")
        }
        self._months = _month_numbers(words.months)
        self._numbers = {word.lower(): value for word, value in words.numbers.items()}
        self._ordinals = {word.lower(): value for word, value in words.ordinals.items()}
        slots = _slot_patterns(words, [_spaced(row.pattern) for row in year_words])
        self._lead = _compile_leads([row for row in rows if row.kind == "lead"], path)
        self._rules = tuple(_Rule(row, _compile_rule(row, slots, path)) for row in periods)
        for rule in self._rules:
            if not any(
                m.start == 0 and m.end == len(rule.row.phrase)
                for m in self._matches(rule, rule.row.phrase)
            ):
                raise DataError(
                    f"{path}: {rule.row.phrase!r}: its pattern does not find the phrase whole"
                )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[PeriodMatch]:
        """All periods of ``text[start:end]``, sorted; where matches overlap the longest wins.

        Offsets stay those of ``text``; the words before ``start`` still count as context.
        """
        stop = len(text) if end is None else end
        found = [
            (match, rank)
            for rank, rule in enumerate(self._rules)
            for match in self._matches(rule, text, start, stop)
        ]
        return _longest_first(found)

    def _matches(
        self, rule: _Rule, text: str, start: int = 0, end: int | None = None
    ) -> Iterable[PeriodMatch]:
        row = rule.row
        for hit in rule.regex.finditer(text, start, len(text) if end is None else end):
            start, role = self._lead_before(text, hit.start())
            if row.needs_lead and start == hit.start():
                continue
            groups = hit.groupdict()
            meaning = self._meaning(row, groups, since=role == "since")
            if meaning is None:
                continue
            future = row.future or role == "horizon" or self._year_word_future(groups)
            yield PeriodMatch(
                start=start,
                end=hit.end(),
                text=text[start : hit.end()],
                comparison=row.comparison or role == "comparison",
                future=future,
                _meaning=meaning,
            )

    def _lead_before(self, text: str, position: int) -> tuple[int, Role | None]:
        """Where the lead words before ``position`` start, and the role they give the period."""
        hit = self._lead.search(text, max(0, position - _LEAD_WINDOW), position)
        if hit is None:
            return position, None
        role = next((name for name in _ROLE_GROUPS if hit.groupdict().get(name) is not None), None)
        return hit.start(), role

    def _meaning(
        self, row: PeriodRow, groups: dict[str, str | None], *, since: bool
    ) -> _Meaning | None:
        year, year_offset = self._year(groups, "year")
        year2, year2_offset = self._year(groups, "year2")
        short = groups.get("yy")
        if short is not None and year is not None:
            year2 = year // 100 * 100 + int(short)  # "2022-26"
        n = _lookup(self._numbers, groups.get("n"))
        meaning = _Meaning(
            kind=row.kind,
            unit=row.unit,
            since=since,
            year=year,
            year_offset=year_offset,
            year2=year2,
            year2_offset=year2_offset,
            month=self._month(groups.get("month")),
            month2=self._month(groups.get("month2")),
            day=_lookup({}, groups.get("day")),
            day2=_lookup({}, groups.get("day2")),
            index=_lookup(self._ordinals, groups.get("index")),
            count=n if n is not None else row.count,
            offset=row.offset * (n if n is not None else 1),
            direction=row.direction,
        )
        return meaning if _plausible(meaning) else None

    def _year(self, groups: dict[str, str | None], group: str) -> tuple[int | None, int | None]:
        """The year a ``{year}`` slot names outright, or the offset its year word stands for."""
        written = groups.get(group)
        if written is not None:
            return int(written), None
        for name, row in self._year_words.items():
            if name.startswith(f"{group}_w") and groups.get(name) is not None:
                return None, row.offset
        return None, None

    def _year_word_future(self, groups: dict[str, str | None]) -> bool:
        return any(
            row.future for name, row in self._year_words.items() if groups.get(name) is not None
        )

    def _month(self, written: str | None) -> int | None:
        """A month number from "03", "Sept." or "March"."""
        if written is None:
            return None
        return int(written) if written.isdigit() else self._months.get(written.rstrip("."))


@cache
def default_finder() -> PeriodFinder:
    """The finder over the packaged tables, built once per process."""
    return PeriodFinder()


def _longest_first(found: Sequence[tuple[PeriodMatch, int]]) -> list[PeriodMatch]:
    """Keep the longest of overlapping matches (then the earliest, then the earlier row)."""
    kept: list[PeriodMatch] = []
    for match, _rank in sorted(
        found, key=lambda item: (item[0].start - item[0].end, item[0].start, item[1])
    ):
        if all(match.end <= other.start or other.end <= match.start for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda match: match.start)


def _plausible(meaning: _Meaning) -> bool:
    """Numbers a real period can have: "2023-03" is no range, "Q5" and "February 30" no date."""
    unit = meaning.unit
    if meaning.kind == "calendar" and unit in ("half", "quarter"):
        return meaning.index is not None and (
            meaning.index == -1 or 1 <= meaning.index <= 12 // _MONTHS_IN[unit]
        )
    if meaning.kind in ("first", "final"):
        return unit is not None and meaning.count * _MONTHS_IN[unit] <= 12
    if meaning.year is not None and meaning.year2 is not None:
        return (meaning.year, meaning.month or 0) < (meaning.year2, meaning.month2 or 0)
    if meaning.kind == "calendar" and unit == "day":
        if meaning.month is None or meaning.day is None:
            return False
        year = meaning.year if meaning.year is not None else 2000  # a leap year: "February 29"
        last = meaning.day2 if meaning.day2 is not None else meaning.day
        return meaning.day <= last <= calendar.monthrange(year, meaning.month)[1]
    return True


# -- resolving ----------------------------------------------------------------------------------
def resolve(
    match: PeriodMatch, reference: date | None, *, reference_inferred: bool = False
) -> ResolvedPeriod:
    """Calendar dates for ``match``: ``explicit`` if its text names the year, else read against
    ``reference`` (``relative``, or ``inferred`` when that date was itself guessed).

    >>> finder = default_finder()
    >>> def dates(text, reference=date(2023, 3, 2), **options):
    ...     period = resolve(finder.find(text)[0], reference, **options)
    ...     return str(period.start), str(period.end), period.resolved
    >>> dates("January-November 2023")
    ('2023-01-01', '2023-11-30', 'explicit')
    >>> dates("in August of last year")
    ('2022-08-01', '2022-08-31', 'relative')
    >>> dates("six months ago", reference_inferred=True)
    ('2022-09-01', '2022-09-30', 'inferred')
    >>> dates("since 2019")
    ('2019-01-01', '2023-03-02', 'relative')
    >>> dates("this year", None)
    ('None', 'None', 'unresolved')
    >>> dates("in recent years")
    ('None', 'None', 'unresolved')
    """
    try:
        return ResolvedPeriod(*_span(match._meaning, None), "explicit")
    except _NeedsReference:
        pass
    except _NoDates:
        return _UNRESOLVED
    if reference is None:
        return _UNRESOLVED
    try:
        span = _span(match._meaning, reference)
    except _NoDates:
        return _UNRESOLVED
    return ResolvedPeriod(*span, "inferred" if reference_inferred else "relative")


def year_span(match: PeriodMatch) -> tuple[int, int] | None:
    """First and last year of a range written with both years ("for 2022-2026"), else ``None``.

    >>> [year_span(m) for m in default_finder().find("for 2022-2026, from 2018 to 2020, in 2019")]
    [(2022, 2026), (2018, 2020), None]
    """
    meaning = match._meaning
    if meaning.kind != "calendar" or meaning.unit != "year" or meaning.since:
        return None
    if meaning.year is None or meaning.year2 is None:
        return None
    return meaning.year, meaning.year2


class _NeedsReference(Exception):
    """Raised inside ``_span`` when the phrase turns out to depend on the reference date."""


class _NoDates(Exception):
    """Raised inside ``_span`` when the phrase has no dates ("in recent years", "February 29")."""


def _need(reference: date | None) -> date:
    if reference is None:
        raise _NeedsReference
    return reference


def _span(meaning: _Meaning, reference: date | None) -> tuple[date, date]:
    """The inclusive range of ``meaning``; ``reference`` is consulted only if the text needs it."""
    if meaning.kind == "vague" or meaning.unit is None:
        raise _NoDates
    try:
        start, end = _own_span(meaning, meaning.unit, reference)
        if not meaning.since:
            return start, end
        until = _need(reference)
    except (ValueError, OverflowError) as error:
        raise _NoDates from error
    if until < start:
        raise _NoDates  # "since 2030" in a 2023 article
    return start, until


def _own_span(meaning: _Meaning, unit: Unit, reference: date | None) -> tuple[date, date]:
    kind = meaning.kind
    if kind == "shift":
        return _bounds(unit, _step(unit, _need(reference), meaning.offset))
    if kind in ("past", "next"):
        today = _need(reference)
        first, last = (-meaning.count, -1) if kind == "past" else (1, meaning.count)
        start_day, end_day = _step(unit, today, first), _step(unit, today, last)
        return _bounds(unit, start_day)[0], _bounds(unit, end_day)[1]
    if kind == "calendar" and unit == "month":
        return _month_span(meaning, reference)
    year = _year(meaning.year, meaning.year_offset, reference)
    if kind in ("first", "final"):
        months = meaning.count * _MONTHS_IN[unit]
        first = 1 if kind == "first" else 13 - months
        return date(year, first, 1), _month_end(year, first + months - 1)
    if unit == "day":
        if meaning.month is None or meaning.day is None:
            raise _NoDates
        last = meaning.day2 if meaning.day2 is not None else meaning.day  # "April 10-12"
        return date(year, meaning.month, meaning.day), date(year, meaning.month, last)
    if meaning.index is not None:
        size = _MONTHS_IN[unit]
        index = meaning.index if meaning.index > 0 else 12 // size  # "the last quarter of 2023"
        return date(year, (index - 1) * size + 1, 1), _month_end(year, index * size)
    last = year
    if meaning.year2 is not None or meaning.year2_offset is not None:
        last = _year(meaning.year2, meaning.year2_offset, reference)
    return date(year, 1, 1), date(last, 12, 31)


def _month_span(meaning: _Meaning, reference: date | None) -> tuple[date, date]:
    """Months "August 2022", "January-October last year", "December 2022 to February 2023",
    "in November" (the reference's year), "last August" (the latest before the reference month)."""
    if meaning.month is None:
        raise _NoDates
    first = meaning.month
    last = meaning.month2 if meaning.month2 is not None else first
    wraps = int(last < first)  # "November-January 2023" starts in 2022
    if meaning.year2 is not None or meaning.year2_offset is not None:
        first_year = _year(meaning.year, meaning.year_offset, reference)
        last_year = _year(meaning.year2, meaning.year2_offset, reference)
    elif meaning.year is not None or meaning.year_offset is not None or meaning.direction is None:
        last_year = _year(meaning.year, meaning.year_offset, reference)
        first_year = last_year - wraps
    else:
        today = _need(reference)
        if meaning.direction == "past":
            last_year = today.year if last < today.month else today.year - 1
            first_year = last_year - wraps
        else:
            first_year = today.year if first > today.month else today.year + 1
            last_year = first_year + wraps
    return date(first_year, first, 1), _month_end(last_year, last)


def _year(written: int | None, offset: int | None, reference: date | None) -> int:
    if written is not None:
        return written
    return _need(reference).year + (offset or 0)


def _month_end(year: int, month: int) -> date:
    """
    >>> _month_end(2024, 2), _month_end(2023, 11)
    (datetime.date(2024, 2, 29), datetime.date(2023, 11, 30))
    """
    return date(year, month, calendar.monthrange(year, month)[1])


def _step(unit: Unit, day: date, steps: int) -> date:
    """A day inside the unit that is ``steps`` units away from the one holding ``day``.

    >>> _step("month", date(2023, 3, 2), -6), _step("quarter", date(2023, 1, 31), -1)
    (datetime.date(2022, 9, 1), datetime.date(2022, 10, 1))
    """
    if unit == "day":
        return day + timedelta(days=steps)
    if unit == "week":
        return day + timedelta(weeks=steps)
    months = day.year * 12 + day.month - 1 + steps * _MONTHS_IN[unit]
    return date(months // 12, months % 12 + 1, 1)


def _bounds(unit: Unit, day: date) -> tuple[date, date]:
    """First and last day of the calendar unit holding ``day`` (weeks run Monday to Sunday).

    >>> _bounds("half", date(2023, 8, 15))
    (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31))
    >>> _bounds("week", date(2023, 3, 2))
    (datetime.date(2023, 2, 27), datetime.date(2023, 3, 5))
    """
    if unit == "day":
        return day, day
    if unit == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    size = _MONTHS_IN[unit]
    first = (day.month - 1) // size * size + 1
    return date(day.year, first, 1), _month_end(day.year, first + size - 1)


# -- compiling the tables -----------------------------------------------------------------------
def _read_calendar(path: Path) -> CalendarWords:
    return validated(CalendarWords, read_json(path), path)


def _is_year_word(row: PeriodRow) -> bool:
    """A shift row for a whole year with no slots ("last year") also fills ``{year}``."""
    return row.kind == "shift" and row.unit == "year" and _SLOT.search(row.pattern) is None


def _spaced(pattern: str) -> str:
    r"""Data patterns write a space for any run of whitespace and " ?" for an optional one.

    >>> _spaced("the first half(?: of)? ?{year}")
    'the\\s+first\\s+half(?:\\s+of)?\\s*{year}'
    """
    return re.sub(r" \??", lambda space: r"\s*" if space.group() == " ?" else r"\s+", pattern)


def _alternation(words: Iterable[str]) -> str:
    r"""Escaped alternatives, longest first so "Sept" is tried before "Sep".

    >>> _alternation(["Sep", "Sept", "vs."])
    'Sept|Sep|vs\\.'
    """
    return "|".join(
        re.escape(word) for word in sorted(set(words), key=lambda word: (-len(word), word))
    )


def _month_numbers(months: Sequence[MonthRow]) -> dict[str, int]:
    """Each spelling as written and in capitals ("SEPT"), to its month number."""
    numbers: dict[str, int] = {}
    for month in months:
        for spelling in (month.name, *month.abbreviations):
            numbers[spelling] = numbers[spelling.upper()] = month.number
    return numbers


def _slot_patterns(words: CalendarWords, year_words: Sequence[str]) -> dict[str, str]:
    """The regex each ``{slot}`` of a data pattern stands for; named groups carry the values."""
    names = [name for month in words.months for name in (month.name, month.name.upper())]
    abbreviations = [
        short
        for month in words.months
        for word in month.abbreviations
        for short in (word, word.upper())
    ]
    # Month names keep their capital: "may" and "march" are verbs.
    months = rf"(?-i:{_alternation(names)}|(?:{_alternation(abbreviations)})\.?)(?![A-Za-z])"
    numbers = _alternation(words.numbers)
    approximately = _alternation(words.approximately)

    def year_slot(group: str) -> str:
        spellings = [f"(?P<{group}>{_YEAR})"]
        spellings += [
            f"(?P<{group}_w{number}>{pattern})" for number, pattern in enumerate(year_words)
        ]
        return f"(?:{'|'.join(spellings)})"

    return {
        "year": year_slot("year"),
        "year2": year_slot("year2"),
        "year4": f"(?P<year>{_YEAR})",
        "yyyy": r"(?P<year>19\d\d|20\d\d|2100)",
        "yy": r"(?P<yy>\d\d)(?!\d)",
        "month": f"(?P<month>{months})",
        "month2": f"(?P<month2>{months})",
        "mm": r"(?P<month>1[0-2]|0?[1-9])(?!\d)",
        "day": r"(?<![\d.,])(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
        "day2": r"(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
        "dd": r"(?P<day>3[01]|[12]\d|0?[1-9])(?!\d)",
        "n": rf"(?<![\d.,])(?P<n>\d{{1,3}}(?![\d.,]\d)|(?:{numbers})(?![\w-]))",
        "ordinal": f"(?P<index>{_alternation(words.ordinals)})",
        "digit": r"(?P<index>[1-4])",
        "about": rf"(?:(?:{approximately})\s+)?",
        "to": rf"(?:\s*{_DASH}\s*|\s+(?:{_alternation(words.range_words)})\s+)",
        "dash": rf"\s*{_DASH}\s*",
    }


def _compile_rule(row: PeriodRow, slots: dict[str, str], path: Path) -> re.Pattern[str]:
    def fill(slot: re.Match[str]) -> str:
        name = slot.group(1)
        if name not in slots:
            raise DataError(
                f"{path}: {row.phrase!r}: unknown slot {{{name}}}; known: {', '.join(slots)}"
            )
        return slots[name]

    core = _SLOT.sub(fill, _spaced(row.pattern))
    try:
        regex = re.compile(rf"(?<!\w)(?:{core})(?!\w)", re.IGNORECASE)
    except re.error as error:
        raise DataError(f"{path}: {row.phrase!r}: bad pattern ({error})") from error
    if regex.groups != len(regex.groupindex):
        raise DataError(f"{path}: {row.phrase!r}: group with (?:...), not (...)")
    return quick_start(regex)


def _compile_leads(leads: Sequence[PeriodRow], path: Path) -> re.Pattern[str]:
    """One regex for the lead words that may stand before a period, anchored at the period.

    Searched from a little before the period up to it, its leftmost match is the longest run
    of leads: a role-changing word ("than", "since", "by"), then a neutral one ("in"), then a
    part ("the end of", "mid-"), each optional.
    """
    patterns: dict[Role, list[str]] = {role: [] for role in get_args(Role)}
    for lead in leads:
        if lead.role is None or _SLOT.search(lead.pattern):
            raise DataError(f"{path}: {lead.phrase!r}: a lead has a role and no slots")
        if re.fullmatch(_spaced(lead.pattern), lead.phrase, re.IGNORECASE) is None:
            raise DataError(f"{path}: {lead.phrase!r}: its pattern does not match the phrase")
        patterns[lead.role].append(f"(?:{_spaced(lead.pattern)})")
    changing = "|".join(
        f"(?P<{role}>{'|'.join(patterns[role])})" for role in _ROLE_GROUPS if patterns[role]
    )
    sections = [rf"(?:(?:{changing})\s+)?" if changing else ""]
    if patterns["neutral"]:
        sections.append(rf"(?:(?:{'|'.join(patterns['neutral'])})\s+)?")
    if patterns["part"]:
        sections.append(rf"(?:(?:{'|'.join(patterns['part'])})(?:\s+|(?<=-)))?")
    try:
        return re.compile(rf"(?<![\w-])(?:{''.join(sections)})\Z", re.IGNORECASE)
    except re.error as error:
        raise DataError(f"{path}: leads: bad pattern ({error})") from error


def _lookup(table: dict[str, int], written: str | None) -> int | None:
    """A number written in digits or as a word from ``table``.

    >>> _lookup({"ten": 10}, "Ten"), _lookup({}, "10"), _lookup({}, None)
    (10, 10, None)
    """
    if written is None:
        return None
    return int(written) if written.isdigit() else table.get(written.lower())
