"""The regexes ``load.py`` reads file headers with, built once per data directory (an
``Engine``'s ``Tables.header``; ``header_patterns()`` for the packaged data).

Month and weekday names come from ``calendar.json`` (the same table the period finder uses);
date-line labels, byline links, the units that keep a number from being a year and the words
that make a year a target come from ``loader.jsonl``. The rest is grammar: digits, times,
punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kzaz_facts.amount_grammar import read_currency_signs
from kzaz_facts.period_rules import CALENDAR_FILE, CalendarWords, read_calendar
from kzaz_facts.resources import default_data_dir, read_jsonl
from kzaz_facts.scan import words_pattern

LOADER_FILE = "loader.jsonl"

LoaderKind = Literal[
    "date_label", "byline_link", "year_unit", "future_lead", "future_part", "future_modifier"
]


class LoaderWord(BaseModel):
    """One row of ``loader.jsonl``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: LoaderKind
    phrase: str


@dataclass(frozen=True, slots=True)
class HeaderPatterns:
    months: dict[str, int]  # lower-case name or abbreviation -> month number
    date_search: re.Pattern[str]
    date_line: re.Pattern[str]
    byline: re.Pattern[str]
    dateline: re.Pattern[str]
    day_month: re.Pattern[str]
    year: re.Pattern[str]
    future_before: re.Pattern[str]


_ORDINAL = r"(?:st|nd|rd|th)?"
_TIME = (
    r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*(?i:[ap]\.?m\.?))?"
    r"(?:[ \t]*\(?(?:GMT|UTC)(?:[ \t]*[+-][ \t]*\d{1,2}(?::?\d{2})?)?\)?)?"
)
# A capitalised name word of a byline: "Rasana", "D.", "O'Neil".
_NAME = r"[^\W\d_a-z][\w'’-]*\.?"
_PART_CHAR = r"[^,.()\[\]\r\n–—:;\"“”-]"


def build_patterns(calendar: CalendarWords, words: list[LoaderWord], signs: str) -> HeaderPatterns:
    """The header regexes for one calendar and one set of loader words."""
    lists: dict[str, list[str]] = {}
    for row in words:
        lists.setdefault(row.kind, []).append(row.phrase)

    def alternatives(kind: str, space: str = r"[ \t]+", *, case_sensitive: bool = False) -> str:
        return words_pattern(
            lists.get(kind, []), case_sensitive=case_sensitive, bounded=False, space=space
        )

    months = {
        spelling.lower(): month.number
        for month in calendar.months
        for spelling in (month.name, *month.abbreviations)
    }
    month = f"{words_pattern(months, bounded=False)}\\b\\.?"
    date = (
        rf"(?<![\w.])(?:"
        rf"(?P<dmy_d>\d{{1,2}}){_ORDINAL}[ \t]+(?P<dmy_m>{month}),?[ \t]+(?P<dmy_y>\d{{4}})"
        rf"|(?P<mdy_m>{month})[ \t]+(?P<mdy_d>\d{{1,2}}){_ORDINAL},?[ \t]+(?P<mdy_y>\d{{4}})"
        rf"|(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})"
        rf"|(?P<dot_d>\d{{1,2}})\.(?P<dot_m>\d{{1,2}})\.(?P<dot_y>\d{{4}})"
        rf"|(?P<my_m>{month}),?[ \t]+(?P<my_y>\d{{4}})"
        rf")(?!\d)"
    )
    # A day without a year, as datelines give it: "March 19", "Dec. 9", "19 March".
    day_month = (
        rf"(?<![\w.])(?:(?P<md_m>{month})[ \t]+(?P<md_d>\d{{1,2}}){_ORDINAL}"
        rf"|(?P<dm_d>\d{{1,2}}){_ORDINAL}[ \t]+(?P<dm_m>{month}))(?![\w,]*[ \t]*\d)"
    )
    day_month_plain = rf"(?:{month}[ \t]+\d{{1,2}}{_ORDINAL}|\d{{1,2}}{_ORDINAL}[ \t]+{month})"
    days = [
        spelling.lower() for day in calendar.weekdays for spelling in (day.name, *day.abbreviations)
    ]
    weekday = rf"{words_pattern(days, bounded=False)}\b\.?,?"
    # A line that is nothing but a date: "10 April 2023, 15:30", "Published: April 10, 2023",
    # "15:30 | 10.04.2023", "Monday, 10 April 2023", "2023-04-10 15:30", "10.10.2024 [14:52]".
    date_line = (
        rf"[ \t]*(?:{alternatives('date_label')}(?:[ \t]+on)?[ \t]*:?[ \t]*)?"
        rf"(?:{_TIME}[ \t]*[,|/-]?[ \t]*)?"
        rf"(?:{weekday}[ \t]+)?"
        rf"(?:{date})"
        rf"(?:(?:[ \t]*[,|][ \t]*|[ \t]+-[ \t]+|[ \t]+|T)"
        rf"(?:{_TIME}|\[[ \t]*{_TIME}[ \t]*\]|\([ \t]*{_TIME}[ \t]*\)))?[ \t]*"
    )
    # "By Rasana Gasimova", "By John D. Smith and Aida Aliyeva, Trend": capitalised words to
    # the end of the line, so "By 2025 the turnover..." and "By the end of..." stay body text.
    link = alternatives("byline_link", case_sensitive=True)
    byline = (
        r"[ \t]*[Bb]y[ \t]+"
        rf"(?P<byline>{_NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+)(?:{_NAME}|{link})){{0,7}})"
        r"[ \t]*(?=\r|\n|\Z)"
    )
    # An upper-case place, up to three ", part" pieces (country, date), an optional
    # "(Agency)", then "." or a dash: "BAKU, Azerbaijan, March 2." / "ASTANA –" /
    # "BAKU, March 5 (Reuters) -". Upper case only: "Baku, the capital - ..." is a sentence.
    # "Dec." inside a part is an abbreviation, not the separator.
    abbreviations = (a for m in calendar.months for a in m.abbreviations)
    abbreviation = f"{words_pattern(abbreviations, case_sensitive=True, bounded=False)}\\."
    dateline = (
        r"(?P<dateline>"
        r"[A-Z][A-Z'’]+(?:[ -][A-Z][A-Z'’]+){0,3}"
        rf"(?:,[ \t]*(?!\s)(?:{abbreviation}|{_PART_CHAR}){{1,40}}){{0,3}}"
        # Kazinform's "ASTANA. November 21. KAZINFORM": the day and the agency after full stops.
        rf"(?:\.[ \t]+{day_month_plain}(?:\.[ \t]+[A-Z][A-Z'’]+(?:[ -][A-Z][A-Z'’]+){{0,2}})?)?"
        r"(?:[ \t]*\([^()\r\n]{1,40}\))?"
        r")"
        r"(?:[ \t]*[–—]|[ \t]+--?(?=[ \t\r\n]|\Z)|\.(?=[ \t\r\n]|\Z))"
        # A story starts with a capital, a digit or a quote: "NATO - the alliance" is no dateline.
        r"(?![ \t]*[a-z])"
    )
    # infer_content_date: a plain year, not part of an amount, a decimal, a range or a name
    # ("Kazakhstan-2050"), and not followed by a unit ("2023 tons").
    year = (
        rf"(?<![\w{signs}.,/-])(?P<year>\d{{4}})(?![\w%]|[.,]\d|[ \t]*[-–—/][ \t]*\d)"
        rf"(?![ \t]+{alternatives('year_unit')}\b)"
    )
    # "by 2030", "until the end of 2025", "before mid-2026": a target, not the time of writing.
    leads = alternatives("future_lead")
    parts = alternatives("future_part", r"\s+")
    future = (
        rf"\b{leads}\s+"
        rf"(?:(?:the\s+)?{parts}\s+of\s+)?"
        rf"(?:{alternatives('future_modifier')}[\s-]+)?\Z"
    )
    return HeaderPatterns(
        months=months,
        date_search=re.compile(date),
        date_line=re.compile(date_line),
        byline=re.compile(byline),
        dateline=re.compile(dateline),
        day_month=re.compile(day_month),
        year=re.compile(year),
        future_before=re.compile(future, re.IGNORECASE),
    )


def read_loader_words(data_dir: Path) -> list[LoaderWord]:
    return read_jsonl(data_dir / LOADER_FILE, LoaderWord)


def read_patterns(data_dir: Path) -> HeaderPatterns:
    """The header regexes of one data directory (an ``Engine`` builds them from the tables
    it has already read: ``Tables.header``)."""
    return build_patterns(
        read_calendar(data_dir / CALENDAR_FILE),
        read_loader_words(data_dir),
        read_currency_signs(data_dir),
    )


@cache
def header_patterns() -> HeaderPatterns:
    """The header regexes of the packaged data, built on first use (for a document parsed
    without an ``Engine``'s tables)."""
    return read_patterns(default_data_dir())
