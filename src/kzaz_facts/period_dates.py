"""Period matches and their resolution: phrase meaning + reference date -> calendar range.

``PeriodFinder`` (``periods.py``) produces ``PeriodMatch`` values; ``resolve`` only computes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from kzaz_facts.period_rules import MONTHS_IN, Kind, Unit
from kzaz_facts.records import DatePrecision, Resolution


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
    """Inclusive calendar dates, both ``None`` when the period cannot be placed.

    ``partial``: the figure covers only the part of the year up to the document date (a
    year-to-date figure); the dates then stop at that date, or, when only the document's year
    is known, are that year with the figure covering its first part.
    """

    start: date | None
    end: date | None
    resolved: Resolution
    partial: bool = False


_UNRESOLVED = ResolvedPeriod(None, None, "unresolved")


# -- resolving ----------------------------------------------------------------------------------
# How many resolutions ``resolve`` remembers: a document resolves the same few meanings
# against its date more than once (a period read in context, then in its record), and many
# documents share their meanings and dates.
_REMEMBERED = 4096


def resolve(
    match: PeriodMatch,
    reference: date | None,
    *,
    reference_inferred: bool = False,
    precision: DatePrecision = "day",
    reported: bool = False,
) -> ResolvedPeriod:
    """Calendar dates for ``match``: ``explicit`` if its text names the year, else read against
    ``reference`` (``relative``, or ``inferred`` when that date was itself guessed).

    ``precision`` says how much of ``reference`` is known: with ``"month"`` or ``"year"`` the
    document may date from any day of that month or year. ``reported`` marks the period of a
    figure already reached (an actual figure, in the past tense): such a figure cannot cover
    time after the document date, so a relative period still running then is cut at that
    date and marked ``partial`` (one whose year is written keeps its dates, marked
    ``partial``), and a period named without a year that has not ended yet is last
    year's ("in May" in a February article). Only whole-year knowledge of the date moves
    nothing; "this year" is then the whole year, marked ``partial``. A guessed (inferred)
    date never cuts a period whose year is written: that year is where the guess came from.

    >>> from kzaz_facts.periods import default_finder
    >>> finder = default_finder()
    >>> def dates(text, reference=date(2023, 3, 2), **options):
    ...     period = resolve(finder.find(text)[0], reference, **options)
    ...     return str(period.start), str(period.end), period.resolved, period.partial
    >>> dates("January-November 2023")
    ('2023-01-01', '2023-11-30', 'explicit', False)
    >>> dates("in August of last year")
    ('2022-08-01', '2022-08-31', 'relative', False)
    >>> dates("six months ago", reference_inferred=True)
    ('2022-09-01', '2022-09-30', 'inferred', False)
    >>> dates("since 2019")
    ('2019-01-01', '2023-03-02', 'relative', False)
    >>> dates("so far this year")
    ('2023-01-01', '2023-03-02', 'relative', True)
    >>> dates("this year", reported=True)
    ('2023-01-01', '2023-03-02', 'relative', True)
    >>> dates("this year", reported=True, precision="year")
    ('2023-01-01', '2023-12-31', 'relative', True)
    >>> dates("in the first quarter of 2023", reported=True)
    ('2023-01-01', '2023-03-31', 'explicit', True)
    >>> dates("in May", reported=True)
    ('2022-05-01', '2022-05-31', 'relative', False)
    >>> dates("this year", None)
    ('None', 'None', 'unresolved', False)
    >>> dates("in recent years")
    ('None', 'None', 'unresolved', False)
    """
    return _resolved(match._meaning, reference, reference_inferred, precision, reported)


@lru_cache(maxsize=_REMEMBERED)
def _resolved(
    meaning: Meaning,
    reference: date | None,
    reference_inferred: bool,
    precision: DatePrecision,
    reported: bool,
) -> ResolvedPeriod:
    """``resolve`` of a match of ``meaning``: a pure function of its arguments (all of them
    frozen values), remembered, since a ``ResolvedPeriod`` is frozen too."""
    try:
        start, end = _span(meaning, None)
        resolved: Resolution = "explicit"
    except _NoDates:
        return _UNRESOLVED
    except _NeedsReference:
        if reference is None:
            return _UNRESOLVED
        latest = _latest(reference, precision)
        try:
            start, end = _span(meaning, reference, latest)
        except _NoDates:
            return _UNRESOLVED
        resolved = "inferred" if reference_inferred else "relative"
    period = ResolvedPeriod(
        start,
        end,
        resolved,
        partial=meaning.since and reference is not None and start.year == reference.year,
    )
    if reported and reference is not None:
        # A guessed date is the latest year the text names: it cannot cut that year short.
        if reference_inferred and resolved == "explicit":
            return period
        # A period the text names whole ("the first quarter of 2024") keeps its dates, so
        # that it meets the same period reported elsewhere; it is only marked partial.
        if resolved == "explicit":
            latest = _latest(reference, precision)
            running = start <= latest < end and precision != "year"
            return replace(period, partial=True) if running else period
        return _reported(meaning, period, reference, precision)
    return period


def _latest(reference: date, precision: DatePrecision) -> date:
    """The last day the document can date from, given how much of its date is known.

    >>> _latest(date(2024, 2, 1), "month"), _latest(date(2024, 1, 1), "year")
    (datetime.date(2024, 2, 29), datetime.date(2024, 12, 31))
    """
    if precision == "day":
        return reference
    if precision == "month":
        return _month_end(reference.year, reference.month)
    return date(reference.year, 12, 31)


def _reported(
    meaning: Meaning, period: ResolvedPeriod, reference: date, precision: DatePrecision
) -> ResolvedPeriod:
    """The period of an actual figure: never after the document date (see ``resolve``)."""
    start, end = period.start, period.end
    if start is None or end is None:
        return period
    latest = _latest(reference, precision)
    if precision == "year":
        running = period.resolved != "explicit" and start <= reference and latest <= end
        return replace(period, partial=True) if running else period
    if end <= latest:
        return period
    if _no_year(meaning):
        try:
            earlier = date(reference.year - 1, reference.month, min(reference.day, 28))
            start, end = _span(meaning, earlier)
        except _NoDates:
            return _UNRESOLVED
        return replace(period, start=start, end=end)
    if start <= latest:
        return replace(period, end=latest, partial=True)
    return period


def _no_year(meaning: Meaning) -> bool:
    """A named month, day, quarter or part of a year with no year written or implied."""
    return (
        meaning.kind in ("calendar", "first", "final")
        and meaning.direction is None
        and not meaning.since
        and meaning.year is None
        and meaning.year_offset is None
        and meaning.year2 is None
        and meaning.year2_offset is None
    )


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


def _span(
    meaning: Meaning, reference: date | None, latest: date | None = None
) -> tuple[date, date]:
    """The inclusive range of ``meaning``; ``reference`` is consulted only if the text needs it.

    ``latest``: where a range "since ..." ends (the last day the document can date from).
    """
    if meaning.kind == "vague" or meaning.unit is None:
        raise _NoDates
    try:
        start, end = _own_span(meaning, meaning.unit, reference)
        if not meaning.since:
            return start, end
        until = latest if latest is not None else _need(reference)
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
    if kind == "so_far" and meaning.year is None and meaning.year_offset is None:
        return _so_far(meaning.count, unit, _need(reference))
    year = _year(meaning.year, meaning.year_offset, reference)
    if kind in ("first", "final", "so_far"):
        months = meaning.count * MONTHS_IN[unit]
        first = 13 - months if kind == "final" else 1
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


def _so_far(count: int, unit: Unit, today: date) -> tuple[date, date]:
    """"The last N months" with no year: the year's first N months when they are over by the
    reference's month (the cumulative figure statistics report), else the N whole months
    before it ("the past 12 months" in March).

    >>> _so_far(10, "month", date(2019, 12, 9))
    (datetime.date(2019, 1, 1), datetime.date(2019, 10, 31))
    >>> _so_far(12, "month", date(2023, 3, 2))
    (datetime.date(2022, 3, 1), datetime.date(2023, 2, 28))
    """
    months = count * MONTHS_IN[unit]
    if months < today.month:
        return date(today.year, 1, 1), _month_end(today.year, months)
    first, last = _step(unit, today, -count), _step(unit, today, -1)
    return _bounds(unit, first)[0], _bounds(unit, last)[1]


def _month_span(meaning: Meaning, reference: date | None) -> tuple[date, date]:
    """Months "August 2022", "January-October last year", "December 2022 to February 2023",
    "in November" (the reference's year), "last August" (the latest before the reference month)."""
    spans_years = meaning.year2 is not None or meaning.year2_offset is not None
    if meaning.month is None and not (spans_years and meaning.month2 is not None):
        raise _NoDates
    # "between 2015 and Feb 2018" starts in January, "from May 2015 to 2018" ends in December.
    first = meaning.month if meaning.month is not None else 1
    last = meaning.month2 if meaning.month2 is not None else 12 if spans_years else first
    wraps = int(last < first)  # "November-January 2023" starts in 2022
    if spans_years:
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
