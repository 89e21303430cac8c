"""Period matches and their resolution: phrase meaning + reference date -> calendar range.

``PeriodFinder`` (``periods.py``) produces ``PeriodMatch`` values; ``resolve`` only computes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from kzaz_facts.period_rules import MONTHS_IN, Kind, Unit
from kzaz_facts.records import Resolution


# -- matches and resolutions --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Meaning:
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


_VAGUE = Meaning()


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
    _meaning: Meaning = field(default=_VAGUE, repr=False)


@dataclass(frozen=True, slots=True)
class ResolvedPeriod:
    """Inclusive calendar dates, both ``None`` when the period cannot be placed."""

    start: date | None
    end: date | None
    resolved: Resolution


_UNRESOLVED = ResolvedPeriod(None, None, "unresolved")


# -- resolving ----------------------------------------------------------------------------------
def resolve(
    match: PeriodMatch, reference: date | None, *, reference_inferred: bool = False
) -> ResolvedPeriod:
    """Calendar dates for ``match``: ``explicit`` if its text names the year, else read against
    ``reference`` (``relative``, or ``inferred`` when that date was itself guessed).

    >>> from kzaz_facts.periods import default_finder
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

    >>> from kzaz_facts.periods import default_finder
    >>> [year_span(m) for m in default_finder().find("for 2022-2026, from 2018 to 2020, in 2019")]
    [(2022, 2026), (2018, 2020), None]
    """
    meaning = match._meaning
    if meaning.kind != "calendar" or meaning.unit != "year" or meaning.since:
        return None
    if meaning.year is None or meaning.year2 is None:
        return None
    return meaning.year, meaning.year2


def single_year(match: PeriodMatch, year: int) -> PeriodMatch:
    """One year of a range, keeping the range's words and offsets: "in 2018-2019 ($5.1 million
    and $7.6 million, respectively)" gives each figure its own year.

    >>> from kzaz_facts.periods import default_finder
    >>> period = single_year(default_finder().find("in 2018-2019")[0], 2019)
    >>> resolved = resolve(period, None)
    >>> str(resolved.start), str(resolved.end), period.text
    ('2019-01-01', '2019-12-31', 'in 2018-2019')
    """
    return replace(match, _meaning=replace(match._meaning, year=year, year2=None))


class _NeedsReference(Exception):
    """Raised inside ``_span`` when the phrase turns out to depend on the reference date."""


class _NoDates(Exception):
    """Raised inside ``_span`` when the phrase has no dates ("in recent years", "February 29")."""


def _need(reference: date | None) -> date:
    if reference is None:
        raise _NeedsReference
    return reference


def _span(meaning: Meaning, reference: date | None) -> tuple[date, date]:
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


def _own_span(meaning: Meaning, unit: Unit, reference: date | None) -> tuple[date, date]:
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
        months = meaning.count * MONTHS_IN[unit]
        first = 1 if kind == "first" else 13 - months
        return date(year, first, 1), _month_end(year, first + months - 1)
    if unit == "day":
        if meaning.month is None or meaning.day is None:
            raise _NoDates
        last = meaning.day2 if meaning.day2 is not None else meaning.day  # "April 10-12"
        return date(year, meaning.month, meaning.day), date(year, meaning.month, last)
    if meaning.index is not None:
        size = MONTHS_IN[unit]
        index = meaning.index if meaning.index > 0 else 12 // size  # "the last quarter of 2023"
        return date(year, (index - 1) * size + 1, 1), _month_end(year, index * size)
    last = year
    if meaning.year2 is not None or meaning.year2_offset is not None:
        last = _year(meaning.year2, meaning.year2_offset, reference)
    return date(year, 1, 1), date(last, 12, 31)


def _month_span(meaning: Meaning, reference: date | None) -> tuple[date, date]:
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
    months = day.year * 12 + day.month - 1 + steps * MONTHS_IN[unit]
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
    size = MONTHS_IN[unit]
    first = (day.month - 1) // size * size + 1
    return date(day.year, first, 1), _month_end(day.year, first + size - 1)
