"""Periods: the case table in tests/cases/periods.jsonl, the data table's own examples, data
errors, and properties that hold for any text."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from kzaz_facts import extract_text
from kzaz_facts.errors import DataError
from kzaz_facts.period_rules import ROLE_GROUPS, Role, lead_sections
from kzaz_facts.periods import (
    CALENDAR_FILE,
    PERIODS_FILE,
    PeriodFinder,
    PeriodMatch,
    PeriodRow,
    default_finder,
    resolve,
    year_span,
)
from kzaz_facts.records import DatePrecision, Resolution
from kzaz_facts.resources import default_data_dir, read_jsonl


class ExpectedPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    start: date | None
    end: date | None
    resolved: Resolution
    comparison: bool = False
    future: bool = False
    partial: bool = False


class PeriodCase(BaseModel):
    """``reported``: the periods belong to actual figures; ``precision``: of ``doc_date``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    sentence: str
    doc_date: date | None
    precision: DatePrecision = "day"
    reported: bool = False
    expected: list[ExpectedPeriod]
    origin: Literal["seed", "new"]


DATA_ROWS = [
    row for row in read_jsonl(default_data_dir() / PERIODS_FILE, PeriodRow) if row.kind != "lead"
]


def found_periods(
    sentence: str,
    doc_date: date | None,
    precision: DatePrecision = "day",
    *,
    reported: bool = False,
) -> list[ExpectedPeriod]:
    periods = []
    for match in default_finder().find(sentence):
        assert sentence[match.start : match.end] == match.text
        resolved = resolve(match, doc_date, precision=precision, reported=reported)
        periods.append(
            ExpectedPeriod(
                text=match.text,
                start=resolved.start,
                end=resolved.end,
                resolved=resolved.resolved,
                comparison=match.comparison,
                future=match.future,
                partial=resolved.partial,
            )
        )
    return periods


@pytest.mark.cases("periods.jsonl", PeriodCase)
def test_case(case: PeriodCase) -> None:
    found = found_periods(case.sentence, case.doc_date, case.precision, reported=case.reported)
    assert found == case.expected


@pytest.mark.parametrize("row", DATA_ROWS, ids=[row.phrase for row in DATA_ROWS])
def test_each_data_row_example_is_found_whole(row: PeriodRow) -> None:
    """Every wording in the table survives the other rows: its example is one whole match."""
    matches = default_finder().find(row.phrase)
    assert [(match.start, match.end) for match in matches] == [(0, len(row.phrase))]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("for 2022-2026", (2022, 2026)),
        ("2018-2020", (2018, 2020)),
        ("From 2016 to 2019", (2016, 2019)),
        ("between 2010 and 2014", (2010, 2014)),
        ("for 2024-27", (2024, 2027)),
        ("In 2018", None),
        ("January-November 2023", None),
        ("from 2019 to this year", None),
        ("since 2019", None),
    ],
)
def test_year_span(text: str, span: tuple[int, int] | None) -> None:
    (match,) = default_finder().find(text)
    assert year_span(match) == span


@pytest.mark.parametrize(
    ("text", "inferred", "expected"),
    [
        ("last year", True, (date(2022, 1, 1), date(2022, 12, 31), "inferred")),
        ("last year", False, (date(2022, 1, 1), date(2022, 12, 31), "relative")),
        ("in 2019", True, (date(2019, 1, 1), date(2019, 12, 31), "explicit")),
        ("in recent years", True, (None, None, "unresolved")),
    ],
)
def test_inferred_reference(
    text: str, inferred: bool, expected: tuple[date | None, date | None, str]
) -> None:
    (match,) = default_finder().find(text)
    period = resolve(match, date(2023, 3, 2), reference_inferred=inferred)
    assert (period.start, period.end, period.resolved) == expected


def test_default_finder_is_built_once() -> None:
    assert default_finder() is default_finder()


# -- data errors ----------------------------------------------------------------------------------
GOOD_ROWS: list[dict[str, object]] = [
    {"kind": "lead", "role": "neutral", "phrase": "in", "pattern": "in"},
    {
        "kind": "shift",
        "unit": "year",
        "offset": -1,
        "phrase": "yesteryear",
        "pattern": "yesteryear",
    },
]


def write_data(directory: Path, rows: list[dict[str, object]]) -> Path:
    shutil.copy(default_data_dir() / CALENDAR_FILE, directory / CALENDAR_FILE)
    shutil.copy(default_data_dir() / "currencies.jsonl", directory / "currencies.jsonl")
    lines = [json.dumps(row) for row in rows]
    (directory / PERIODS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_swapped_data_dir_is_used(tmp_path: Path) -> None:
    finder = PeriodFinder(write_data(tmp_path, GOOD_ROWS))
    (match,) = finder.find("Grain prices fell yesteryear, and last year too.")
    assert match.text == "yesteryear"
    assert resolve(match, date(2023, 3, 2)).start == date(2022, 1, 1)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            {
                "kind": "shift",
                "unit": "year",
                "phrase": "last year",
                "pattern": "last year",
                "ofset": -1,
            },
            f"{PERIODS_FILE}:3: ofset: Extra inputs are not permitted",
        ),
        ({"kind": "lead", "phrase": "over", "pattern": "over"}, "a lead row needs a role"),
        (
            {"kind": "vague", "unit": "year", "phrase": "soon", "pattern": "soon"},
            "a vague row has no unit",
        ),
        (
            {"kind": "calendar", "unit": "week", "phrase": "week 5", "pattern": "week 5"},
            "a calendar row needs a unit among",
        ),
        (
            {"kind": "calendar", "unit": "year", "phrase": "in 2019", "pattern": "{yaer}"},
            "unknown slot {yaer}",
        ),
        (
            {"kind": "shift", "unit": "day", "phrase": "today", "pattern": "(today)"},
            "group with (?:...)",
        ),
        ({"kind": "shift", "unit": "day", "phrase": "today", "pattern": "today("}, "bad pattern"),
        (
            {"kind": "shift", "unit": "day", "phrase": "this very day", "pattern": "today"},
            "'this very day': its pattern does not find the phrase whole",
        ),
        (
            {"kind": "lead", "role": "since", "phrase": "ever since", "pattern": "since"},
            "'ever since': its pattern does not match the phrase",
        ),
    ],
)
def test_bad_data_row_is_reported(tmp_path: Path, bad_row: dict[str, object], message: str) -> None:
    directory = write_data(tmp_path, [*GOOD_ROWS, bad_row])
    with pytest.raises(DataError, match=re.escape(message)):
        PeriodFinder(directory)


def test_the_packaged_rows_pass_the_checks_made_on_other_data() -> None:
    """The packaged table's regexes are compiled on first use, unchecked at start-up: here
    they are held to what any other data directory is checked for when read."""
    checked = PeriodFinder(check=True)
    assert not any(rule.regex._compiled is None for rule in checked._rules)
    assert all(rule.regex._compiled is None for rule in PeriodFinder()._rules)


def test_bad_calendar_is_reported(tmp_path: Path) -> None:
    directory = write_data(tmp_path, GOOD_ROWS)
    words = json.loads((directory / CALENDAR_FILE).read_text(encoding="utf-8"))
    del words["months"][4]
    (directory / CALENDAR_FILE).write_text(json.dumps(words), encoding="utf-8")
    with pytest.raises(DataError, match=f"{CALENDAR_FILE}: months"):
        PeriodFinder(directory)


# -- properties -----------------------------------------------------------------------------------
# fmt: off
WORDS = [
    "in", "In", "2023", "2022-2026", "January", "-", "–", "October", "last", "year", "the",
    "first", "half", "of", "since", "than", "ago", "six", "months", "May", "may", "$", "2,523",
    "Q3", "today", ",", ".", "by", "2030", "same", "period", "previous", "more", "end", "mid-",
    "30", "years", "past", "decade", "3", "March", "2,", "next", "week", "H1", "to", "\n",
    "so far", "following the outcomes of", "9M", "june", "quarters", "through", "Feb",
]
# fmt: on


@settings(deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=40),
    separators=st.sampled_from([" ", "", "  ", "\n"]),
    cut=st.tuples(st.integers(0, 20), st.integers(0, 300)),
)
def test_one_scan_finds_what_each_row_finds(
    words: list[str], separators: str, cut: tuple[int, int]
) -> None:
    """The finder tries the rows only where their first letters fit: the same matches as
    running every row's own pattern over the text."""
    text = separators.join(words)
    finder = default_finder()
    patterns = [pattern.compiled() for pattern in finder._scan.patterns]  # each rule's own
    start, end = cut
    expected = sorted(
        (m.start(), index, m.end(), sorted(m.groupdict().items(), key=str))
        for index, pattern in enumerate(patterns)
        for m in pattern.finditer(text, start, end)
    )
    found = [
        (m.start(), index, m.end(), sorted(m.groupdict().items(), key=str))
        for index, m in finder._scan.finditer(text, start, end)
    ]
    assert found == expected


def _every_meaning_first(text: str, start: int, end: int) -> list[PeriodMatch]:
    """``find`` as it was: each hit's period with its meaning, then the longest of
    overlapping plausible ones kept (then the earliest, then the earlier row)."""
    finder = default_finder()
    found = []
    leads: dict[int, tuple[int, Role | None]] = {}
    for rank, hit in finder._scan.finditer(text, start, end):
        match = finder._match(finder._rules[rank].row, hit, text, leads)
        if match is not None:
            found.append((match, rank))
    kept: list[PeriodMatch] = []
    ranked = sorted(found, key=lambda item: (item[0].start - item[0].end, item[0].start, item[1]))
    for match, _rank in ranked:
        if all(match.end <= other.start or other.end <= match.start for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda match: match.start)


@settings(deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=40),
    separators=st.sampled_from([" ", "", "  ", "\n"]),
    cut=st.tuples(st.integers(0, 20), st.integers(0, 300)),
)
def test_meanings_only_of_kept_spans_give_the_same_periods(
    words: list[str], separators: str, cut: tuple[int, int]
) -> None:
    """``find`` works out a meaning only for a span not overlapped by a longer one kept:
    the same periods as working out every hit's meaning first."""
    text = separators.join(words)
    start, end = cut
    assert default_finder().find(text, start, end) == _every_meaning_first(text, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Trade rose 22% in January-October last year compared to the same period of 2021.",
        "In the first half of 2023 and the same period of the previous year, Q3 2024, 2023-02-30",
        "since the last ten months of the current year, by the end of 2030 or 2022-2026",
    ],
)
def test_meanings_only_of_kept_spans_on_overlapping_rows(text: str) -> None:
    assert default_finder().find(text) == _every_meaning_first(text, 0, len(text))


@given(
    words=st.lists(st.sampled_from(WORDS), max_size=40),
    reference=st.one_of(st.none(), st.dates()),
    inferred=st.booleans(),
)
def test_any_text_gives_ordered_exact_matches(
    words: list[str], reference: date | None, inferred: bool
) -> None:
    text = " ".join(words)
    matches = default_finder().find(text)
    for before, after in itertools.pairwise(matches):
        assert before.end <= after.start
    for match in matches:
        assert text[match.start : match.end] == match.text
        assert match.text == match.text.strip()
        period = resolve(match, reference, reference_inferred=inferred)
        if period.resolved == "unresolved":
            assert period.start is None
            assert period.end is None
        else:
            assert period.start is not None
            assert period.end is not None
            assert period.start <= period.end
        if period.resolved == "explicit":
            assert resolve(match, None) == period
        reported = resolve(match, reference, reference_inferred=inferred, reported=True)
        assert (reported.start is None) == (reported.end is None)
        if reported.start is not None and reported.end is not None:
            assert reported.start <= reported.end
            if reported.partial and reference is not None:
                assert reported.start <= reference
                assert reported.end <= reference


# -- through the whole extraction: the fact's own period --------------------------------------
LEAD = "Kazakhstan and Azerbaijan discussed cooperation.\n\n"


@pytest.mark.parametrize(
    ("sentence", "doc_date", "expected"),
    [
        # A result lead before a bare year.
        (
            "Following the outcomes of 2023, mutual trade between Kazakhstan and Azerbaijan "
            "grew by 14.4%, reaching $529.4 million.",
            date(2024, 7, 3),
            ("actual", 529_400_000, "2023-01-01", "2023-12-31", "explicit", False),
        ),
        (
            "According to the results of 2022, trade turnover between Kazakhstan and "
            "Azerbaijan amounted to $460 million.",
            date(2023, 2, 1),
            ("actual", 460_000_000, "2022-01-01", "2022-12-31", "explicit", False),
        ),
        # An actual figure for "this year" runs to the document date only.
        (
            "This year, trade turnover between Kazakhstan and Azerbaijan reached $185 million.",
            date(2024, 6, 12),
            ("actual", 185_000_000, "2024-01-01", "2024-06-12", "relative", True),
        ),
        (
            "So far this year, trade turnover between Kazakhstan and Azerbaijan amounted to "
            "$90 million.",
            date(2023, 4, 5),
            ("actual", 90_000_000, "2023-01-01", "2023-04-05", "relative", True),
        ),
        # A goal for this year keeps the whole year.
        (
            "Trade turnover between Kazakhstan and Azerbaijan should reach $1 billion this year.",
            date(2024, 6, 12),
            ("target", 1_000_000_000, "2024-01-01", "2024-12-31", "relative", False),
        ),
        # A reported month still to come in the document's year is last year's.
        (
            "In November, trade turnover between Kazakhstan and Azerbaijan amounted to "
            "$40 million.",
            date(2024, 2, 8),
            ("actual", 40_000_000, "2023-11-01", "2023-11-30", "relative", False),
        ),
    ],
)
def test_fact_period(
    sentence: str, doc_date: date, expected: tuple[str, int, str, str, str, bool]
) -> None:
    (fact,) = extract_text(LEAD + sentence, date=doc_date).facts
    assert fact.period is not None
    assert fact.value is not None
    assert (
        fact.modality,
        fact.value.amount,
        str(fact.period.start),
        str(fact.period.end),
        fact.period.resolved,
        fact.period.partial,
    ) == expected


def test_lead_words_are_found_as_by_the_optional_sections(article_texts: list[str]) -> None:
    """The lead regex leaves out the empty run and opens with a look-ahead; before every
    word of the articles it finds the start and role that ``(?:a)?(?:b)?(?:c)?`` finds."""
    path = default_data_dir() / PERIODS_FILE
    leads = [row for row in read_jsonl(path, PeriodRow) if row.kind == "lead"]
    sections = "".join(f"{section}?" for section in lead_sections(leads, path))
    optional = re.compile(rf"(?<![\w-])(?:{sections})\Z", re.IGNORECASE)
    finder = default_finder()
    texts = list(article_texts)
    texts.append("as compared with in the middle of 2023, by mid-2024 and since the end of May")
    found = 0
    for text in texts:
        for word in re.finditer(r"(?<!\w)\w", text):
            position = word.start()
            hit = optional.search(text, max(0, position - 80), position)
            expected: tuple[int, str | None] = (position, None)
            if hit is not None:
                groups = hit.groupdict()
                role = next((name for name in ROLE_GROUPS if groups.get(name) is not None), None)
                expected = (hit.start(), role)
            assert finder._lead_before(text, position) == expected
            found += expected[0] < position
    assert found > 100
