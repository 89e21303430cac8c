"""The period tables: row models of ``periods.jsonl`` and ``calendar.json``, and how a row's
template becomes a regex (its ``{slots}`` filled from the calendar words and year words).

``periods.py`` finds and resolves periods with what is compiled here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kzaz_facts.errors import DataError
from kzaz_facts.guarded import guarded
from kzaz_facts.resources import nested_quantifier, read_json, validated
from kzaz_facts.scan import words_pattern
from kzaz_facts.scan_prefix import Parsed, alternates_at_top, parse, parse_filled

PERIODS_FILE = "periods.jsonl"
CALENDAR_FILE = "calendar.json"

Kind = Literal[
    "lead", "calendar", "first", "final", "so_far", "shift", "past", "next", "vague"
]
Role = Literal["comparison", "since", "horizon", "neutral", "part"]
Unit = Literal["year", "half", "quarter", "month", "week", "day"]

MONTHS_IN: dict[Unit, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_UNITS_OF_KIND: dict[Kind, tuple[Unit, ...]] = {
    "calendar": ("year", "half", "quarter", "month", "day"),
    "first": ("half", "quarter", "month"),
    "final": ("half", "quarter", "month"),
    "so_far": ("quarter", "month"),
    "shift": get_args(Unit),
    "past": get_args(Unit),
    "next": get_args(Unit),
}
# Roles that change what the period means; "neutral" and "part" leads only widen the match.
ROLE_GROUPS: tuple[Role, ...] = ("comparison", "since", "horizon")

SLOT = re.compile(r"\{([a-z]+[0-9]?)\}")
_DASH = r"[-‐‑‒–—−]"
# What a slot may not be followed by for its parse to be put in whole: a quantifier.
_QUANTIFIED = re.compile(r"[?*+]|\{\d")


def year_pattern(signs: str) -> str:
    """A year is 1900..2100, not part of a longer number ("2,523", "12023"), not money
    ("$2023 million": ``signs`` are the currency signs) and not a percentage."""
    return rf"(?<![\d{signs}.,])(?:19\d\d|20\d\d|2100)(?!\d|[.,]\d|\s*%)"


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
    to_date: bool = False

    @field_validator("pattern")
    @classmethod
    def _no_nested_quantifier(cls, pattern: str) -> str:
        if nested_quantifier(pattern):
            raise ValueError(
                "a repeated group that itself repeats, such as (a+)+, can take exponential "
                "time to fail; repeat the group or its inside, not both"
            )
        return pattern

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
        if self.to_date and self.kind != "shift":
            raise ValueError("only a shift row runs to date")
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


# -- compiling the tables -----------------------------------------------------------------------
def read_calendar(path: Path) -> CalendarWords:
    return validated(CalendarWords, read_json(path), path)


def is_year_word(row: PeriodRow) -> bool:
    """A shift row for a whole year with no slots ("last year") also fills ``{year}``."""
    return row.kind == "shift" and row.unit == "year" and SLOT.search(row.pattern) is None


def spaced(pattern: str) -> str:
    r"""Data patterns write a space for any run of whitespace and " ?" for an optional one.

    >>> spaced("the first half(?: of)? ?{year}")
    'the\\s+first\\s+half(?:\\s+of)?\\s*{year}'
    """
    return re.sub(r" \??", lambda space: r"\s*" if space.group() == " ?" else r"\s+", pattern)


def month_numbers(months: Sequence[MonthRow]) -> dict[str, int]:
    """Each spelling as written, in capitals ("SEPT") and in lower case, to its month number."""
    numbers: dict[str, int] = {}
    for month in months:
        for spelling in (month.name, *month.abbreviations):
            for written in (spelling, spelling.upper(), spelling.lower()):
                numbers[written] = month.number
    return numbers


def slot_patterns(words: CalendarWords, year_words: Sequence[str], signs: str) -> dict[str, str]:
    """The regex each ``{slot}`` of a data pattern stands for; named groups carry the values."""
    names = [name for month in words.months for name in (month.name, month.name.upper())]
    abbreviations = [
        short
        for month in words.months
        for word in month.abbreviations
        for short in (word, word.upper())
    ]
    # Month names keep their capital: "may" and "march" are verbs.
    months = (
        f"(?:{words_pattern(names, case_sensitive=True, bounded=False)}"
        f"|{words_pattern(abbreviations, case_sensitive=True, bounded=False)}\\.?)(?![A-Za-z])"
    )
    # Any case, for rows where a year or a lead already says it is a date ("in june 2016").
    any_case = [name for month in words.months for name in (month.name, *month.abbreviations)]
    loose_months = rf"{words_pattern(any_case, bounded=False)}\.?(?![A-Za-z])"
    year = year_pattern(signs)
    numbers = words_pattern(words.numbers, bounded=False)
    approximately = words_pattern(words.approximately, bounded=False)

    def year_slot(group: str) -> str:
        spellings = [f"(?P<{group}>{year})"]
        spellings += [
            f"(?P<{group}_w{number}>{pattern})" for number, pattern in enumerate(year_words)
        ]
        return f"(?:{'|'.join(spellings)})"

    return {
        "year": year_slot("year"),
        "year2": year_slot("year2"),
        "year4": f"(?P<year>{year})",
        "yyyy": r"(?P<year>19\d\d|20\d\d|2100)",
        "yy": r"(?P<yy>\d\d)(?!\d)",
        "month": f"(?P<month>{months})",
        "month2": f"(?P<month2>{months})",
        "anymonth": f"(?P<month>{loose_months})",
        "mm": r"(?P<month>1[0-2]|0?[1-9])(?!\d)",
        "day": r"(?<![\d.,])(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
        "day2": r"(?P<day2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
        "dd": r"(?P<day>3[01]|[12]\d|0?[1-9])(?!\d)",
        "n": rf"(?<![\d.,])(?P<n>\d{{1,3}}(?![\d.,]\d)|(?:{numbers})(?![\w-]))",
        "ordinal": f"(?P<index>{words_pattern(words.ordinals, bounded=False)})",
        "digit": r"(?P<index>[1-4])",
        "about": rf"(?:(?:{approximately})\s+)?",
        "to": rf"(?:\s*{_DASH}\s*|\s+{words_pattern(words.range_words, bounded=False)}\s+)",
        "dash": rf"\s*{_DASH}\s*",
    }


def _wrapped(core: str) -> str:
    return rf"(?<!\w)(?:{core})(?!\w)"


# How every row's regex is compiled.
RULE_FLAGS = re.IGNORECASE


def rule_source(row: PeriodRow, slots: dict[str, str], path: Path) -> str:
    """The regex of ``row``: its pattern with the slots filled, bounded where words are."""

    def fill(slot: re.Match[str]) -> str:
        name = slot.group(1)
        if name not in slots:
            raise DataError(
                f"{path}: {row.phrase!r}: unknown slot {{{name}}}; known: {', '.join(slots)}"
            )
        return slots[name]

    return _wrapped(SLOT.sub(fill, spaced(row.pattern)))


def compile_rule(row: PeriodRow, source: str, path: Path) -> re.Pattern[str]:
    """``rule_source``'s regex compiled, or a ``DataError`` saying what is wrong with it."""
    try:
        regex = re.compile(source, RULE_FLAGS)
    except re.error as error:
        raise DataError(f"{path}: {row.phrase!r}: bad pattern ({error})") from error
    if regex.groups != len(regex.groupindex):
        raise DataError(f"{path}: {row.phrase!r}: group with (?:...), not (...)")
    return regex


def parse_slots(slots: dict[str, str]) -> dict[str, Parsed]:
    """Each slot's regex parsed once, for ``parse_rule``; a slot with a ``|`` outside its
    groups is left out (put in a longer pattern it would not stay one piece)."""
    return {
        name: parse(pattern, RULE_FLAGS)
        for name, pattern in slots.items()
        if not alternates_at_top(pattern)
    }


def parse_rule(row: PeriodRow, parsed_slots: dict[str, Parsed]) -> Parsed | None:
    """The parse of the regex ``compile_rule`` makes of ``row``, put together from the parsed
    slots rather than parsing the whole (long) regex again; None where a slot cannot be put
    in whole (unknown, alternating or quantified): the caller then parses the regex."""
    pieces = SLOT.split(spaced(row.pattern))
    parts: dict[str, Parsed] = {}
    template = [pieces[0]]
    for number, (name, after) in enumerate(zip(pieces[1::2], pieces[2::2], strict=True)):
        if name not in parsed_slots or _QUANTIFIED.match(after):
            return None
        parts[f"slot{number}"] = parsed_slots[name]
        template += [f"(?P<slot{number}>)", after]
    return parse_filled(_wrapped("".join(template)), parts, RULE_FLAGS)


def compile_leads(leads: Sequence[PeriodRow], path: Path) -> re.Pattern[str]:
    """One regex for the lead words that may stand before a period, anchored at the period.

    Searched from a little before the period up to it, its leftmost match is the longest run
    of leads: a role-changing word ("than", "since", "by"), then a neutral one ("in"), then a
    part ("the end of", "mid-"), each optional but not all three: no match is an empty run.
    Each alternative opens with one section and leaves those after it optional, so the runs
    are tried in the order of ``(?:changing)?(?:neutral)?(?:part)?`` and the same run (with
    the same role) is found; as no match is empty, the regex opens with a look-ahead at its
    first letters (``guarded``) and skips most words at once.
    """
    sections = lead_sections(leads, path)
    alternatives = [
        section + "".join(f"{later}?" for later in sections[number + 1 :])
        for number, section in enumerate(sections)
    ]
    try:
        return guarded(rf"(?<![\w-])(?:{'|'.join(alternatives) or '(?!)'})\Z", re.IGNORECASE)
    except re.error as error:
        raise DataError(f"{path}: leads: bad pattern ({error})") from error


def lead_sections(leads: Sequence[PeriodRow], path: Path) -> list[str]:
    """The regex of each kind of lead that is in the table, in order, each with the white
    space (or the hyphen of "mid-") that follows it: role-changing, neutral, part."""
    patterns: dict[Role, list[str]] = {role: [] for role in get_args(Role)}
    for lead in leads:
        if lead.role is None or SLOT.search(lead.pattern):
            raise DataError(f"{path}: {lead.phrase!r}: a lead has a role and no slots")
        if re.fullmatch(spaced(lead.pattern), lead.phrase, re.IGNORECASE) is None:
            raise DataError(f"{path}: {lead.phrase!r}: its pattern does not match the phrase")
        patterns[lead.role].append(f"(?:{spaced(lead.pattern)})")
    changing = "|".join(
        f"(?P<{role}>{'|'.join(patterns[role])})" for role in ROLE_GROUPS if patterns[role]
    )
    sections = [rf"(?:(?:{changing})\s+)"] if changing else []
    if patterns["neutral"]:
        sections.append(rf"(?:(?:{'|'.join(patterns['neutral'])})\s+)")
    if patterns["part"]:
        sections.append(rf"(?:(?:{'|'.join(patterns['part'])})(?:\s+|(?<=-)))")
    return sections
