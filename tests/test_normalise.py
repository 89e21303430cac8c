"""Tests for kzaz_facts.normalise: case tables, number parsing, data validation, invariants."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from kzaz_facts import normalise
from kzaz_facts.errors import DataError
from kzaz_facts.normalise import (
    AmountMatch,
    ChangeMatch,
    Normaliser,
    default_normaliser,
    parse_number,
)
from kzaz_facts.resources import default_data_dir
from kzaz_facts.text_windows import (
    anchored_matches,
    lead_starts,
    rule_matches,
    trigger_spans,
    windows,
)
from kzaz_facts.triggers import DIGITS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

AMOUNT_FIELDS = (
    "text",
    "amount",
    "unit",
    "approximate",
    "qualifier",
    "low",
    "high",
    "original_amount",
    "original_unit",
)
CHANGE_FIELDS = ("text", "percent", "multiplier", "low", "high", "approximate")
NUMBER_FIELDS = {"amount", "low", "high", "original_amount", "percent", "multiplier"}


class FigureCase(BaseModel):
    """A row of amounts.jsonl or changes.jsonl: every figure of the sentence, in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    origin: Literal["seed", "new"]
    sentence: str
    # Plain dicts, so the test tells 465000000 from 465000000.0 as JSON wrote them.
    expected: list[dict[str, Any]]
    xfail: str | None = None


CaseTable = Any  # the `case_table` fixture of conftest.py: read_cases(table, model)


def typed(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Fields with numbers tagged by type, so 465000000 and 465000000.0 do not compare equal."""
    return {
        field: (type(record.get(field)).__name__, record.get(field))
        if field in NUMBER_FIELDS
        else record.get(field)
        for field in fields
    }


def found(match: AmountMatch | ChangeMatch, fields: tuple[str, ...]) -> dict[str, Any]:
    return typed({field: getattr(match, field) for field in fields}, fields)


# -- the case tables ----------------------------------------------------------------------


@pytest.mark.cases("amounts.jsonl", FigureCase)
def test_amount_cases(case: FigureCase) -> None:
    sentence = case.sentence
    matches = default_normaliser().find_amounts(sentence)
    for match in matches:
        assert sentence[match.start : match.end] == match.text
    assert [found(match, AMOUNT_FIELDS) for match in matches] == [
        typed(expected, AMOUNT_FIELDS) for expected in case.expected
    ]


@pytest.mark.cases("changes.jsonl", FigureCase)
def test_change_cases(case: FigureCase) -> None:
    sentence = case.sentence
    matches = default_normaliser().find_changes(sentence)
    for match in matches:
        assert sentence[match.start : match.end] == match.text
    assert [found(match, CHANGE_FIELDS) for match in matches] == [
        typed(expected, CHANGE_FIELDS) for expected in case.expected
    ]


@pytest.mark.parametrize("name", ["amounts.jsonl", "changes.jsonl"])
def test_case_tables_are_well_formed(name: str, case_table: CaseTable) -> None:
    rows = case_table(name, FigureCase)
    new = sum(row.origin == "new" for row in rows)
    assert new > 2 * (len(rows) - new), "most cases must be sentences worded apart from seeds/"
    assert any(row.expected == [] for row in rows if row.origin == "new")
    fields = set(AMOUNT_FIELDS if name == "amounts.jsonl" else CHANGE_FIELDS)
    for row in rows:
        for expected in row.expected:
            assert set(expected) <= fields, row.id


def test_seed_cases_quote_the_seeds(case_table: CaseTable) -> None:
    seeds = " ".join(
        " ".join(path.read_text(encoding="utf-8").split()) for path in SEEDS.glob("*.txt")
    )
    for row in [*case_table("amounts.jsonl", FigureCase), *case_table("changes.jsonl", FigureCase)]:
        if row.origin == "seed":
            assert " ".join(row.sentence.split()) in seeds, row.id


def test_seed_articles_whole() -> None:
    """Over whole articles: every figure found, and nothing else (dates, years, ordinals)."""
    normaliser = default_normaliser()
    amounts: list[tuple[str, int | float, str | None]] = []
    changes: list[tuple[str, int | float | None, int | float | None]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for amount in normaliser.find_amounts(text):
            assert text[amount.start : amount.end] == amount.text
            amounts.append((amount.text, amount.amount, amount.unit))
        for change in normaliser.find_changes(text):
            assert text[change.start : change.end] == change.text
            changes.append((change.text, change.percent, change.multiplier))
    assert amounts == [
        ("half a billion USD", 500000000, "USD"),
        ("one billion USD", 1000000000, "USD"),
        ("about $300 million", 300000000, "USD"),
        ("10 million tons", 10000000, "t"),
        ("$465 million", 465000000, "USD"),
        ("almost 60,000 people", 60000, "people"),
        ("2,523 tons", 2523, "t"),
        ("$221 million", 221000000, "USD"),
        ("$191 million", 191000000, "USD"),
        ("over $320 billion", 320000000000, "USD"),
        ("approached the half-billion mark", 500000000, None),
        ("$146 million", 146000000, "USD"),
        ("a billion dollars", 1000000000, "USD"),
    ]
    assert changes == [
        ("22% higher", 22, None),
        ("increase of 90%", 90, None),
        ("increased five times", None, 5),
        ("107% more", 107, None),
        ("tripled", None, 3),
    ]


# -- parse_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("2,523", 2523),
        ("5.1", 5.1),
        ("5.1 billion", 5100000000),
        ("0.3 million", 300000),
        ("one", 1),
        ("half a", 0.5),
        ("a half", 0.5),
        ("two and a half", 2.5),
        ("one and a half billion", 1500000000),
        ("half-billion", 500000000),
        ("a billion", 1000000000),
        ("twenty-five", 25),
        ("ninety nine", 99),
        ("three hundred", 300),
        ("a hundred", 100),
        ("one hundred and twenty-five thousand", 125000),
        ("1 million 200 thousand", 1200000),
        ("1bn", 1000000000),
        ("300 mln", 300000000),
        ("Two Thousand", 2000),
        ("1,250,000", 1250000),
        ("a quarter of a billion", 250000000),
    ],
)
def test_parse_number(words: str, value: int | float) -> None:
    parsed = parse_number(words)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    "words",
    ["", "a", "billion", "thirty years", "5%", "1,5", "five twenty", "twenty thirty", "$5", "2 3"],
)
def test_parse_number_refuses(words: str) -> None:
    assert parse_number(words) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_number_reads_grouped_integers(value: int) -> None:
    assert parse_number(f"{value:,}") == value
    assert parse_number(str(value)) == value


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2),
    st.sampled_from([("thousand", 10**3), ("million", 10**6), ("billion", 10**9)]),
)
def test_parse_number_is_decimal_exact(figure: Decimal, scale: tuple[str, int]) -> None:
    word, factor = scale
    parsed = parse_number(f"{figure} {word}")
    assert parsed == int(figure * factor)
    assert isinstance(parsed, int)


# -- invariants over arbitrary text ---------------------------------------------------------

FRAGMENTS = [
    "$465 million",
    "almost 60,000 people",
    "2022-2026",
    "rose 8%",
    "five times",
    "tripled",
    "between 400 and 500 million",
    "200 million manat (about $117.6 million)",
    "30 years",
    "(",
    ")",
    ", or",
    " - ",
    "the half-billion mark",
    "increased 2-2.5 times",
    "1 250",
    "tons",
    "a",
    "half",
    "by",
    "%",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12), st.sampled_from([" ", "", ". ", ", "]))
def test_matches_are_sorted_disjoint_and_quoted(pieces: list[str], glue: str) -> None:
    text = glue.join(pieces)
    normaliser = default_normaliser()
    for matches in (normaliser.find_amounts(text), normaliser.find_changes(text)):
        for match in matches:
            assert text[match.start : match.end] == match.text
            assert match.start < match.end
        for before, after in itertools.pairwise(matches):
            assert before.end <= after.start
    for amount in normaliser.find_amounts(text):
        assert amount.unit is not None or amount.text.lower().split()[-1] not in {"tons", "people"}
        if amount.low is not None and amount.high is not None:
            assert amount.low < amount.high
            assert amount.approximate


def scan_everything(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> tuple[list[AmountMatch], list[ChangeMatch]]:
    """What a scan of the whole text finds, without the trigger windows."""
    with monkeypatch.context() as patch:
        patch.setattr(normalise, "windows", lambda triggers, text: [(0, len(text))])
        normaliser = Normaliser()
        return normaliser.find_amounts(text), normaliser.find_changes(text)


def test_trigger_windows_lose_nothing_on_whole_articles(
    monkeypatch: pytest.MonkeyPatch, case_table: CaseTable
) -> None:
    normaliser = default_normaliser()
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    rows = case_table("amounts.jsonl", FigureCase) + case_table("changes.jsonl", FigureCase)
    texts += [row.sentence for row in rows]
    for text in texts:
        windowed = (normaliser.find_amounts(text), normaliser.find_changes(text))
        assert windowed == scan_everything(monkeypatch, text)



def scan_and_anchored(
    text: str, kind: Literal["amounts", "changes"] = "amounts"
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """(rule, start, end) of each rule's ``finditer`` over each trigger window, and the same
    from the rules tried only at ``lead_starts`` (or their openings), in the order given;
    on the way, the triggers of one scan are those of a scan for each kind."""
    normaliser = default_normaliser()
    found = normaliser.triggers
    if kind == "amounts":
        rules = normaliser.amount_rules
        triggers = trigger_spans([DIGITS, found.amount_words], text)
        assert found.find(text)[0] == triggers
        anchors = triggers
    else:
        rules = normaliser.change_rules
        triggers = trigger_spans([DIGITS, found.change_words], text)
        assert found.find(text)[1] == triggers
        anchors = found.change_anchors(text, triggers)
    regions = windows(triggers, text)
    index = {id(rule.pattern): number for number, rule in enumerate(rules)}
    scanned = [(index[id(p)], m.start(), m.end()) for p, m in rule_matches(rules, text, regions)]
    starts = lead_starts(anchors, regions, text, normaliser._lead)
    anchored = anchored_matches(rules, text, regions, starts)
    return scanned, [(index[id(p)], m.start(), m.end()) for p, m in anchored]


def test_rules_at_lead_starts_find_what_a_scan_finds() -> None:
    """``lead_starts`` narrows where the amount and change rules are tried; on every article
    and case sentence the rules find exactly what their scan of the windows finds."""
    folders = [SEEDS, ROOT / "tests" / "devset" / "articles", ROOT / "tests" / "holdout" / "articles"]
    texts = [path.read_text(encoding="utf-8") for f in folders for path in sorted(f.glob("*.txt"))]
    for table in ("amounts.jsonl", "changes.jsonl"):
        lines = (ROOT / "tests" / "cases" / table).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["sentence"] for line in lines if line.startswith("{")]
    # a figure opening with "a hundred": the one number word that is no change trigger
    texts += ["5 tons; a hundred percent higher", "In 2023 trade went up about a hundred times"]
    assert len(texts) > 50
    found = 0
    for text in texts:
        for kind in ("amounts", "changes"):
            scanned, anchored = scan_and_anchored(text, kind)
            assert anchored == scanned
            found += len(scanned)
    assert found > 500


LEAD_PIECES = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(["US $5", "(about", "a quarter of a billion", "approx.", "$a", "Some", "KZT"]),
    st.sampled_from(["ſome", "the", "between", "A LITTLE MORE THAN", "\u200b", "-", "$$$"]),
    st.sampled_from(["a hundred", "HUNDRED", "percent", "went up", "up", "by", "times", "higher"]),
    st.sampled_from(["increased exports by", "to double", "threefold", "\u212a", "rose", "fold"]),
    st.text("0123456789$ .,-(a%", max_size=20),
)


@given(
    st.lists(LEAD_PIECES, max_size=12),
    st.sampled_from([" ", "", "\n", "  ", "-"]),
    st.sampled_from(["amounts", "changes"]),
)
def test_rules_at_lead_starts_find_what_a_scan_finds_anywhere(
    pieces: list[str], glue: str, kind: Literal["amounts", "changes"]
) -> None:
    scanned, anchored = scan_and_anchored(glue.join(pieces), kind)
    assert anchored == scanned


def test_no_rule_matches_the_empty_string() -> None:
    """``anchored_matches`` follows ``finditer`` only for rules whose matches are never empty."""
    normaliser = default_normaliser()
    for rule in (*normaliser.amount_rules, *normaliser.change_rules):
        assert all(rule.pattern.match(text, 0) is None for text in ["", " ", "x", "$", "%"])


@given(st.integers(min_value=1, max_value=10**9))
def test_a_bare_number_is_never_an_amount(value: int) -> None:
    assert default_normaliser().find_amounts(f"They counted {value:,} of them.") == []


# -- construction and data files ------------------------------------------------------------


def test_default_normaliser_is_shared() -> None:
    assert default_normaliser() is default_normaliser()


def test_no_regex_is_compiled_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule tried only where its words are compiles when first tried, once: the same
    texts again compile nothing."""
    normaliser = Normaliser()
    texts = ("almost 60,000 people and $5 million", "rose 8% and tripled")
    normaliser.find_amounts(texts[0])
    normaliser.find_changes(texts[1])

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("re.compile called per document")

    monkeypatch.setattr(re, "compile", refuse)
    assert normaliser.find_amounts(texts[0])
    assert normaliser.find_changes(texts[1])


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def test_another_data_dir_swaps_the_vocabulary(data_copy: Path) -> None:
    with (data_copy / "units.jsonl").open("a", encoding="utf-8") as table:
        table.write('{"unit": "wagons", "kind": "count", "names": ["wagons", "railcars"]}\n')
    normaliser = Normaliser(data_copy)
    [match] = normaliser.find_amounts("They sent 1,200 railcars.")
    assert (match.text, match.amount, match.unit) == ("1,200 railcars", 1200, "wagons")
    assert default_normaliser().find_amounts("They sent 1,200 railcars.") == []


@pytest.mark.parametrize(
    ("table", "row", "message"),
    [
        ("currencies.jsonl", '{"code": "usd", "names": ["bucks"]}', "currencies.jsonl:"),
        (
            "units.jsonl",
            '{"unit": "t", "kind": "mass", "names": ["tons"], "plural": true}',
            "units.jsonl:",
        ),
        ("qualifiers.jsonl", '{"phrase": "about", "position": "middle"}', "qualifiers.jsonl:"),
        ("changes.jsonl", '{"direction": "up", "words": ["soar"]}', "changes.jsonl:"),
        ("currencies.jsonl", '{"code": "XAU", "names": ["dollars"]}', "names both USD and XAU"),
        (
            "changes.jsonl",
            '{"direction": "down", "position": "both", "words": ["rise"]}',
            "both up and down",
        ),
    ],
)
def test_bad_rows_name_their_file(data_copy: Path, table: str, row: str, message: str) -> None:
    with (data_copy / table).open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    with pytest.raises(DataError, match=re.escape(message)):
        Normaliser(data_copy)


def test_bad_numbers_file_names_its_key(data_copy: Path) -> None:
    numbers = json.loads((data_copy / "numbers.json").read_text(encoding="utf-8"))
    numbers["scales"]["million"] = "lots"
    (data_copy / "numbers.json").write_text(json.dumps(numbers), encoding="utf-8")
    with pytest.raises(DataError, match=r"numbers\.json: scales\.million"):
        Normaliser(data_copy)
