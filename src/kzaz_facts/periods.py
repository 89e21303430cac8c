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
>>> from datetime import date
>>> period = resolve(finder.find("over the past year")[0], date(2023, 3, 2))
>>> str(period.start), str(period.end), period.resolved
('2022-01-01', '2022-12-31', 'relative')

Choices made here rather than in the data:

* a month or day without a year is in the reference date's year ("in November", "on March
  10"); "last August" is the latest August before the reference month, "next August" the first
  one after it. For an actual figure (``resolve(..., reported=True)``) a period named without a
  year that has not ended by the document date is the previous year's ("In May, trade
  reached..." in a February article), and a period still running then ("this year", "in
  2024" in a 2024 article) ends at the document date and is marked ``partial``;
* "year to date", "so far this year", "since the beginning of the year" run from 1 January to
  the document date, marked ``partial``;
* "the last N months [of a year]" are the year's first N months (January-October for "the
  last 10 months of 2019"): this news reports cumulative statistics; with no year and more
  months than the reference year has had so far, they count back from the reference month;
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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kzaz_facts.amount_grammar import read_currency_signs
from kzaz_facts.errors import DataError
from kzaz_facts.period_dates import (
    Meaning,
    PeriodMatch,
    ResolvedPeriod,
    resolve,
    single_year,
    year_span,
)
from kzaz_facts.period_rules import (
    CALENDAR_FILE,
    MONTHS_IN,
    PERIODS_FILE,
    ROLE_GROUPS,
    RULE_FLAGS,
    CalendarWords,
    PeriodRow,
    Role,
    compile_leads,
    compile_rule,
    is_year_word,
    month_numbers,
    parse_rule,
    parse_slots,
    read_calendar,
    rule_source,
    slot_patterns,
    spaced,
)
from kzaz_facts.records import Resolution
from kzaz_facts.resources import default_data_dir, read_jsonl, resolve_data_dir
from kzaz_facts.scan import LazyPattern, MultiScan

__all__ = [
    "CALENDAR_FILE",
    "PERIODS_FILE",
    "CalendarWords",
    "PeriodFinder",
    "PeriodMatch",
    "PeriodRow",
    "Resolution",
    "ResolvedPeriod",
    "default_finder",
    "resolve",
    "single_year",
    "year_span",
]

# The longest run of lead words looked for before a period ("as compared with in the middle of ").
_LEAD_WINDOW = 80


@dataclass(frozen=True, slots=True)
class _Rule:
    row: PeriodRow
    regex: LazyPattern


# -- finding ------------------------------------------------------------------------------------
class PeriodFinder:
    """Reads and compiles the period tables once; ``find`` then only runs the compiled regexes.

    >>> finder = default_finder()
    >>> [m.text for m in finder.find("In 2018 trade reached $221 million; for 2050 tonnes, no.")]
    ['In 2018']
    >>> [m.text for m in finder.find("The 2022-2026 plan was signed more than six months ago.")]
    ['2022-2026', 'more than six months ago']
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        currency_signs: str | None = None,
        *,
        check: bool | None = None,
    ) -> None:
        """``currency_signs``: as ``Normaliser.currency_signs`` (read from the tables if None).

        ``check``: compile every row's regex now and check that it finds the row's phrase
        whole; by default, for any data directory but the packaged one, whose rows the tests
        hold to that (``tests/test_periods.py``). Unchecked, a row's regex is compiled when
        ``find`` first tries it: a row whose first letters no text holds costs nothing.
        """
        directory = resolve_data_dir(data_dir)
        if check is None:
            check = directory.resolve() != default_data_dir().resolve()
        if currency_signs is None:
            currency_signs = read_currency_signs(directory)
        path = directory / PERIODS_FILE
        rows = read_jsonl(path, PeriodRow)
        words = read_calendar(directory / CALENDAR_FILE)
        self.calendar = words
        # Full month and weekday names: "on Tuesday", "in March" say when, not what.
        self.when_words = frozenset(
            day.lower()
            for day in (*(m.name for m in words.months), *(w.name for w in words.weekdays))
        )
        periods = [row for row in rows if row.kind != "lead"]
        # Longer year words first, so "the year before last" is tried before "the year".
        year_words = sorted(
            (row for row in periods if is_year_word(row)), key=lambda row: -len(row.phrase)
        )
        # The group of each year word in a ``{year}`` / ``{year2}`` slot: "year_w3".
        self._year_words = {
            group: [(f"{group}_w{number}", row) for number, row in enumerate(year_words)]
            for group in ("year", "year2")
        }
        self._future_year_words = [
            name for named in self._year_words.values() for name, row in named if row.future
        ]
        self._months = month_numbers(words.months)
        self._numbers = {word.lower(): value for word, value in words.numbers.items()}
        self._ordinals = {word.lower(): value for word, value in words.ordinals.items()}
        slots = slot_patterns(words, [spaced(row.pattern) for row in year_words], currency_signs)
        self._lead = compile_leads([row for row in rows if row.kind == "lead"], path)
        rules = []
        for row in periods:
            source = rule_source(row, slots, path)
            compiled = compile_rule(row, source, path) if check else None
            rules.append(_Rule(row, LazyPattern(source, RULE_FLAGS, compiled)))
        self._rules = tuple(rules)
        for rule in self._rules if check else ():
            if not self._finds_whole(rule):
                raise DataError(
                    f"{path}: {rule.row.phrase!r}: its pattern does not find the phrase whole"
                )
        parsed_slots = parse_slots(slots)
        self._scan = MultiScan(
            [rule.regex for rule in self._rules],
            parsed=[parse_rule(rule.row, parsed_slots) for rule in self._rules],
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[PeriodMatch]:
        """All periods of ``text[start:end]``, sorted; where matches overlap the longest wins.

        Offsets stay those of ``text``; the words before ``start`` still count as context.
        Each row's pattern finds what its own ``finditer`` would; ``MultiScan`` only saves
        trying every row at every word.

        Where a period starts and ends (with its lead words) decides which of overlapping
        ones is kept, its meaning only whether it is plausible: the spans are ranked first
        (``_ranked``), and a meaning is worked out only for a span that no longer one kept
        overlaps, as an implausible one is skipped as if never found.
        """
        kept: list[PeriodMatch] = []
        for lead_start, rank, hit, role in self._ranked(text, start, end):
            stop = hit.end()
            if all(stop <= other.start or other.end <= lead_start for other in kept):
                match = self._period(self._rules[rank].row, hit, text, lead_start, role)
                if match is not None:
                    kept.append(match)
        kept.sort(key=_start)
        return kept

    def _ranked(
        self, text: str, start: int, end: int | None
    ) -> list[tuple[int, int, re.Match[str], Role | None]]:
        """Each (lead start, row index, match, role) of ``text[start:end]``, the longest
        span first, then the earliest, then the earlier row (no two hits of a row share a
        start: their spans differ there)."""
        found = []
        leads: dict[int, tuple[int, Role | None]] = {}  # several rows may start at one place
        rules = self._rules
        for rank, hit in self._scan.finditer(text, start, end):
            lead = self._leads_to(text, hit.start(), leads)
            if rules[rank].row.needs_lead and lead[0] == hit.start():
                continue
            found.append((lead[0] - hit.end(), lead[0], rank, hit, lead[1]))
        found.sort(key=_rank)
        return [(lead_start, rank, hit, role) for _, lead_start, rank, hit, role in found]

    def _finds_whole(self, rule: _Rule) -> bool:
        phrase = rule.row.phrase
        hits = rule.regex.compiled().finditer(phrase)
        found = [self._match(rule.row, hit, phrase, {}) for hit in hits]
        return any(m is not None and m.start == 0 and m.end == len(phrase) for m in found)

    def _match(
        self,
        row: PeriodRow,
        hit: re.Match[str],
        text: str,
        leads: dict[int, tuple[int, Role | None]],
    ) -> PeriodMatch | None:
        """The period ``row`` finds in ``hit`` with the lead words before it, if plausible;
        ``leads``: the lead words found so far in ``text``, by the position they lead to."""
        start, role = self._leads_to(text, hit.start(), leads)
        if row.needs_lead and start == hit.start():
            return None
        return self._period(row, hit, text, start, role)

    def _leads_to(
        self, text: str, position: int, leads: dict[int, tuple[int, Role | None]]
    ) -> tuple[int, Role | None]:
        """``_lead_before``, remembered in ``leads`` by the position."""
        lead = leads.get(position)
        if lead is None:
            lead = leads[position] = self._lead_before(text, position)
        return lead

    def _period(
        self, row: PeriodRow, hit: re.Match[str], text: str, start: int, role: Role | None
    ) -> PeriodMatch | None:
        """The period of ``hit`` led from ``start`` with ``role``, if plausible."""
        groups = hit.groupdict()
        meaning = self._meaning(row, groups, since=role == "since" or row.to_date)
        if meaning is None:
            return None
        future = row.future or role == "horizon" or self._year_word_future(groups)
        return PeriodMatch(
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
        role = next((name for name in ROLE_GROUPS if hit.groupdict().get(name) is not None), None)
        return hit.start(), role

    def _meaning(
        self, row: PeriodRow, groups: dict[str, str | None], *, since: bool
    ) -> Meaning | None:
        year, year_offset = self._year(groups, "year")
        year2, year2_offset = self._year(groups, "year2")
        short = groups.get("yy")
        if short is not None and year is not None:
            year2 = year // 100 * 100 + int(short)  # "2022-26"
        n = _lookup(self._numbers, groups.get("n"))
        meaning = Meaning(
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
        for name, row in self._year_words[group]:
            if groups.get(name) is not None:
                return None, row.offset
        return None, None

    def _year_word_future(self, groups: dict[str, str | None]) -> bool:
        return any(groups.get(name) is not None for name in self._future_year_words)

    def _month(self, written: str | None) -> int | None:
        """A month number from "03", "Sept." or "March"."""
        if written is None:
            return None
        return int(written) if written.isdigit() else self._months.get(written.rstrip("."))


@cache
def default_finder() -> PeriodFinder:
    """The finder over the packaged tables, built once per process."""
    return PeriodFinder()


def _rank(item: tuple[int, int, int, re.Match[str], Role | None]) -> tuple[int, int, int]:
    return item[0], item[1], item[2]


def _start(match: PeriodMatch) -> int:
    return match.start


def _plausible(meaning: Meaning) -> bool:
    """Numbers a real period can have: "2023-03" is no range, "Q5" and "February 30" no date."""
    unit = meaning.unit
    if meaning.kind == "calendar" and unit in ("half", "quarter"):
        return meaning.index is not None and (
            meaning.index == -1 or 1 <= meaning.index <= 12 // MONTHS_IN[unit]
        )
    if meaning.kind in ("first", "final"):
        return unit is not None and meaning.count * MONTHS_IN[unit] <= 12
    if meaning.kind == "so_far" and (meaning.year is not None or meaning.year_offset is not None):
        return unit is not None and meaning.count * MONTHS_IN[unit] <= 12
    if meaning.year is not None and meaning.year2 is not None:
        return (meaning.year, meaning.month or 0) < (meaning.year2, meaning.month2 or 0)
    if meaning.kind == "calendar" and unit == "day":
        if meaning.month is None or meaning.day is None:
            return False
        year = meaning.year if meaning.year is not None else 2000  # a leap year: "February 29"
        last = meaning.day2 if meaning.day2 is not None else meaning.day
        return meaning.day <= last <= calendar.monthrange(year, meaning.month)[1]
    return True


def _lookup(table: dict[str, int], written: str | None) -> int | None:
    """A number written in digits or as a word from ``table``.

    >>> _lookup({"ten": 10}, "Ten"), _lookup({}, "10"), _lookup({}, None)
    (10, 10, None)
    """
    if written is None:
        return None
    return int(written) if written.isdigit() else table.get(written.lower())
