"""The amount and change grammar: the table rows, and the regexes built from them once.

``Normaliser`` (``normalise.py``) compiles these patterns from ``data/`` (currencies.jsonl,
units.jsonl, qualifiers.jsonl, changes.jsonl, numbers.json) and resolves their matches
against the ``Vocabulary`` built here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kzaz_facts.errors import DataError
from kzaz_facts.guarded import guarded
from kzaz_facts.numbers import GROUPED, NumbersTable, NumberWords, number_words
from kzaz_facts.resources import read_jsonl
from kzaz_facts.scan import key, not_followed_by, words_pattern
from kzaz_facts.text_windows import Rule

CURRENCIES_FILE = "currencies.jsonl"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CurrencyRow(_Row):
    code: str = Field(pattern=r"^[A-Z]{3}$")
    symbols: list[str] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)


UnitKind = Literal["mass", "count", "volume", "area", "length", "time", "energy"]


class UnitRow(_Row):
    unit: str = Field(min_length=1)
    kind: UnitKind
    names: list[str] = Field(min_length=1)
    # The fact type a figure in this unit counts ("t" -> cargo); None: no fact type does.
    fact: Literal["cargo", "tourism"] | None = None
    modifier: bool = False
    extract: bool = True


@dataclass(frozen=True, slots=True)
class UnitKinds:
    """What the extractor needs to know of units: which fact a unit counts, which are money."""

    facts: Mapping[str, str]
    currencies: frozenset[str]


class QualifierRow(_Row):
    phrase: str = Field(min_length=1)
    position: Literal["before", "after"] = "before"


class ChangeWordRow(_Row):
    direction: Literal["up", "down"]
    words: list[str] = Field(min_length=1)
    position: Literal["before", "after", "both"] | None = None
    multiplier: Decimal | None = Field(default=None, gt=0)
    not_followed_by: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _position_or_multiplier(self) -> ChangeWordRow:
        if (self.position is None) == (self.multiplier is None):
            raise ValueError("give exactly one of position (direction words) or multiplier")
        return self


# Grammar words of the patterns themselves (not vocabulary): a dash between the two ends of a
# range, the "between X and Y" frame, the "the ... mark" frame, "by"/"of" after a direction
# word ("increased by", "an increase of") and the multiplicative "times" / "-fold"; "the"
# of the landmark frame and "of" of "a quarter of a billion".
_DASH = r"(?:\s?[-–—]\s?)"
_BETWEEN, _TIMES, _FOLD, _THE, _OF = "between", "times", "fold", "the", "of"
_SPACE_OR_HYPHEN = r"(?:\s+|-)"
# Invisible characters and combining marks: a figure touching one is no figure ("$46\u200b5
# million" is neither $46 nor 5 million), so they count as part of a word on either side.
INVISIBLE = "\u00ad\u034f\u0300-\u036f\u180e\u200b-\u200f\u2060-\u2064\ufeff"
_START = rf"(?<![\w.,{INVISIBLE}])"
_DIGIT_FIGURE = rf"(?:{GROUPED}(?![.,\u00a0\u202f\u2009]?\d|[{INVISIBLE}]))"
# after a figure with a sign, a letter that is no scale: "$1e309", "$5bnbnbn" are no amounts
_NOT_GLUED = rf"(?![^\W_]|[{INVISIBLE}])"
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)\W*$")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything a match is resolved against, built once from the tables."""

    words: NumberWords
    units: Mapping[str, str]  # key(alias) or exact code -> unit / ISO code
    currencies: frozenset[str]
    year_prepositions: frozenset[str]
    directions: Mapping[str, int]  # key(word) -> +1 / -1
    multipliers: Mapping[str, Decimal]


# -- building helpers ---------------------------------------------------------------------


def currency_signs(currencies: list[CurrencyRow]) -> str:
    r"""The last character of every currency symbol, escaped for a character class: the one
    set of signs that keeps a number glued to money from reading as a year or a bare figure.

    >>> currency_signs([CurrencyRow(code="USD", symbols=["$", "US$"])])
    '\\$'
    """
    return "".join(sorted({re.escape(symbol[-1]) for row in currencies for symbol in row.symbols}))


def currency_names(currencies: list[CurrencyRow]) -> re.Pattern[str]:
    """Every currency name and symbol, any case: a place mention that starts one of them is
    the currency's word, not the place ("US dollars", "Kazakh tenge", "US$").

    >>> names = currency_names([CurrencyRow(code="USD", symbols=["US$"], names=["US dollars"])])
    >>> names.match("US$5").group(0), names.match("us dollars").group(0)
    ('US$', 'us dollars')
    >>> names.match("US trade") is None
    True
    """
    aliases = [alias for row in currencies for alias in (*row.names, *row.symbols)]
    return re.compile(words_pattern(aliases), re.IGNORECASE)


def read_currency_signs(data_dir: Path) -> str:
    """``currency_signs`` of the currency table of ``data_dir``."""
    return currency_signs(read_jsonl(data_dir / CURRENCIES_FILE, CurrencyRow))


def previous_word(text: str, start: int) -> str | None:
    found = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    return found.group(1).lower() if found else None


def unit_of(groups: Mapping[str, str | None], units: Mapping[str, str]) -> str | None:
    for name in ("pre", "suf1", "pre2", "suf", "msuf"):
        alias = groups.get(name)
        if alias:
            return units.get(alias.strip()) or units.get(key(alias))
    return None


def build_vocabulary(
    numbers: NumbersTable,
    currencies: list[CurrencyRow],
    units: list[UnitRow],
    change_words: list[ChangeWordRow],
    directory: Path,
) -> Vocabulary:
    aliases: dict[str, str] = {}

    def add(lookup: str, value: str, table: str) -> None:
        if aliases.setdefault(lookup, value) != value:
            raise DataError(
                f"{directory / table}: {lookup!r} names both {aliases[lookup]} and {value}"
            )

    # ISO codes are matched case-sensitively and kept as written; symbols and names by key()
    for currency in currencies:
        for code in currency.codes:
            add(code, currency.code, "currencies.jsonl")
        for alias in (*currency.symbols, *currency.names):
            add(key(alias), currency.code, "currencies.jsonl")
    for unit in units:
        if unit.extract:
            for alias in unit.names:
                add(key(alias), unit.unit, "units.jsonl")
    directions: dict[str, int] = {}
    multipliers: dict[str, Decimal] = {}
    for row in change_words:
        for word in row.words:
            if row.multiplier is not None:
                multipliers[key(word)] = row.multiplier
            elif directions.setdefault(key(word), 1 if row.direction == "up" else -1) != (
                1 if row.direction == "up" else -1
            ):
                raise DataError(f"{directory / 'changes.jsonl'}: {word!r} is both up and down")
    return Vocabulary(
        words=number_words(numbers),
        units=aliases,
        currencies=frozenset(currency.code for currency in currencies),
        year_prepositions=frozenset(key(word) for word in numbers.year_prepositions),
        directions=directions,
        multipliers=multipliers,
    )


def _word_figures(numbers: NumbersTable) -> tuple[str, str]:
    """Regexes for a figure in words: one needing no scale ("five") and one needing a scale
    ("a", "half a", "a quarter of a")."""
    small = (
        f"(?:{words_pattern(numbers.tens)}(?:[\\s-]+{words_pattern(numbers.units)})?"
        f"|{words_pattern(numbers.units)})"
    )
    article = words_pattern(numbers.articles)
    hundred = words_pattern(numbers.hundreds)
    fraction = words_pattern(numbers.fractions)
    cardinal = (
        f"(?:(?:{small}|{article})\\s+{hundred}(?:\\s+(?:and\\s+)?{small})?|{small})"
        f"(?:\\s+and\\s+{article}\\s+{fraction})?"
    )
    # "a quarter of a", "three quarters of a", "half a"
    partial = (
        f"(?:(?:(?:{article}|{small})\\s+)?{fraction}(?:\\s+{_OF})?(?:\\s+{article})?|{article})"
    )
    return cardinal, partial


def _figure(numbers: NumbersTable, *, symbol_scales: bool = False, words: bool = True) -> str:
    """One figure: digits or number words, with an optional scale ("1.2 million", "$1bn")."""
    # no word boundary in front: "$1bn" and "300mln" are written solid
    scale = f"{words_pattern(numbers.scales, bounded=False)}\\b"
    digit_scale = f"(?:\\s+|-)?{scale}"
    if symbol_scales:
        # "$5m", "€300k": single-letter scales only when written solid after a currency sign
        digit_scale = f"(?:{digit_scale}|{words_pattern(numbers.symbol_scales, bounded=False)}\\b)"
    digits = f"{_DIGIT_FIGURE}(?:{digit_scale})?"
    if not words:
        return f"(?:{digits})"
    cardinal, partial = _word_figures(numbers)
    return (
        f"(?:{digits}|{cardinal}(?:{_SPACE_OR_HYPHEN}{scale})?|{partial}{_SPACE_OR_HYPHEN}{scale})"
    )


def amount_patterns(
    numbers: NumbersTable,
    currencies: list[CurrencyRow],
    units: list[UnitRow],
    qualifiers: list[QualifierRow],
) -> tuple[Rule, ...]:
    before = words_pattern(row.phrase for row in qualifiers if row.position == "before")
    after = words_pattern(row.phrase for row in qualifiers if row.position == "after")
    codes = words_pattern((code for row in currencies for code in row.codes), case_sensitive=True)
    prefix = f"(?:{words_pattern(symbol for row in currencies for symbol in row.symbols)}|{codes})"
    extracted = [name for row in units if row.extract for name in row.names]
    suffix = (
        f"(?:{words_pattern(name for row in currencies for name in row.names)}|{codes}"
        f"|{words_pattern(extracted)})"
    )
    modified = words_pattern(
        name for row in units if row.extract and row.modifier for name in row.names
    )
    skipped = words_pattern(name for row in units if not row.extract for name in row.names)
    # one describing word between figure and noun ("60,000 foreign tourists"), but not a
    # function word, number word or measure ("30 years later people" is no amount)
    blocked = words_pattern(
        [*numbers.function_words, *numbers.units, *numbers.tens, *numbers.scales, *extracted]
    )
    modifier = f"(?!{blocked}|{skipped})[^\\W\\d_][\\w'’]*(?:-[^\\W\\d_][\\w'’]*)*"
    # a figure glued to a sign we do not know is not ours: "C$5 million" is not 5 million
    signs = currency_signs(currencies)
    # and a figure right after "1 250" is the tail of a space-grouped number, not "000 tons"
    start = f"(?<![\\w.,{signs}{INVISIBLE}])(?<!\\d )"
    qualifier = f"(?:(?P<qual>{before})\\s+)?"
    qualifier_after = f"(?:\\s+(?P<qafter>{after})(?!\\s+than\\b))?"
    figure = _figure(numbers)
    prefixed_figure = _figure(numbers, symbol_scales=True, words=False)
    landmark = words_pattern(numbers.landmarks)

    prefixed = (
        f"{start}{qualifier}(?P<pre>{prefix})\\s?(?P<f1>{prefixed_figure}){_NOT_GLUED}"
        f"(?:{_DASH}(?:(?P<pre2>{prefix})\\s?)?(?P<f2>{prefixed_figure}){_NOT_GLUED})?"
        f"{qualifier_after}"
    )
    suffixed = (
        f"{start}{qualifier}(?P<f1>{figure})(?:{_DASH}(?P<f2>{figure}))?"
        f"(?:{_SPACE_OR_HYPHEN}(?P<suf>{suffix})|\\s+{modifier}\\s+(?P<msuf>{modified}))"
        f"{qualifier_after}"
    )
    scaled = (
        f"{start}{qualifier}(?P<f1>{figure})(?:{_DASH}(?P<f2>{figure}))?"
        f"(?!{_SPACE_OR_HYPHEN}{skipped}){qualifier_after}"
    )
    between = (
        f"{start}{_BETWEEN}\\s+(?:(?P<pre>{prefix})\\s?)?(?P<f1>{figure})"
        f"(?:{_SPACE_OR_HYPHEN}(?P<suf1>{suffix}))?\\s+and\\s+(?:(?P<pre2>{prefix})\\s?)?"
        f"(?P<f2>{figure})(?:{_SPACE_OR_HYPHEN}(?P<suf>{suffix}))?"
    )
    marked = (
        f"{start}{qualifier}{_THE}\\s+(?:(?P<pre>{prefix})\\s?)?(?P<f1>{figure})"
        f"(?:{_SPACE_OR_HYPHEN}(?P<suf>{suffix}))?\\s+{landmark}"
    )
    return (
        _rule(prefixed),
        _rule(suffixed),
        _rule(scaled),
        _rule(between, [_BETWEEN]),
        _rule(marked, numbers.landmarks),
    )


def lead_pattern(
    numbers: NumbersTable, currencies: list[CurrencyRow], qualifiers: list[QualifierRow]
) -> re.Pattern[str]:
    """What an amount may hold before its first digit or number word, one run of text
    between white space at a time: the run is made of these words, written solid.

    Before its figure an amount of ``amount_patterns`` has a qualifier ("a little more
    than"), "the" of the landmark frame or "between", a currency symbol or code ("US $",
    "KZT"); a figure in words may open with an article, a fraction and "of" ("a quarter of
    a billion", "half a"). Everything else, apart from white space, comes at or after the
    figure's first digit or number word, which ``Normaliser`` takes for its trigger. So
    each run of non-space text that an amount holds wholly before that trigger is a
    sequence of the words listed here (any case: a superset of what the patterns allow),
    and ``text_windows.lead_starts`` walks back over such runs only. The change rules not
    led by a direction word hold less before their figure: a qualifier, and the article of
    "a hundred" (``Normaliser._change_anchors`` takes "hundred" for an anchor).

    >>> from kzaz_facts.resources import default_data_dir, read_jsonl
    >>> from kzaz_facts.numbers import read_numbers
    >>> data = default_data_dir()
    >>> lead = lead_pattern(read_numbers(data / "numbers.json"),
    ...     read_jsonl(data / "currencies.jsonl", CurrencyRow),
    ...     read_jsonl(data / "qualifiers.jsonl", QualifierRow))
    >>> [bool(lead.fullmatch(run)) for run in ["Approx.", "US", "$a", "than", "trade"]]
    [True, True, True, True, False]
    """
    phrases = [
        *(row.phrase for row in qualifiers if row.position == "before"),
        *(symbol for row in currencies for symbol in row.symbols),
        *(code for row in currencies for code in row.codes),
        _BETWEEN,
        _THE,
        _OF,
        *numbers.articles,
        *numbers.fractions,
    ]
    words = {word for phrase in phrases for word in phrase.split()}
    return re.compile(f"(?:{words_pattern(words, bounded=False)})+", re.IGNORECASE)


def change_patterns(
    numbers: NumbersTable, qualifiers: list[QualifierRow], change_words: list[ChangeWordRow]
) -> tuple[Rule, ...]:
    directed = [row for row in change_words if row.position is not None]
    before = words_pattern(
        w for row in directed if row.position in ("before", "both") for w in row.words
    )
    after = words_pattern(
        w for row in directed if row.position in ("after", "both") for w in row.words
    )
    leading = words_pattern(row.phrase for row in qualifiers if row.position == "before")
    qualifier = f"(?:(?P<qual>{leading})\\s+)?"
    cardinal, _ = _word_figures(numbers)
    number = f"(?:{_DIGIT_FIGURE}|{cardinal})"
    sign = words_pattern(numbers.percent_signs)
    percent = f"(?P<p1>{number})(?:\\s*%)?(?:{_DASH}(?P<p2>{number}))?\\s*{sign}"
    times = f"(?P<t1>{number})(?:{_DASH}(?P<t2>{number}))?\\s+{_TIMES}\\b"
    # "flights increased to five times a week" counts occasions, not growth
    not_frequency = f"(?!\\s+{words_pattern(numbers.frequency_words)})"
    solid = words_pattern([*numbers.units, *numbers.tens], bounded=False)
    fold = (
        f"(?:(?P<t1>{_DIGIT_FIGURE})(?:{_DASH}(?P<t2>{_DIGIT_FIGURE}))?"
        f"|\\b(?P<tw>{solid}))\\s*-?\\s*{_FOLD}\\b"
    )
    # "increased by", "an increase of", "rose sharply by"
    link = r"(?:\s+[^\W\d_]+ly)?(?:\s+(?:by|of))?"
    # "increased exports by 15%", "raise the capacity threefold"
    object_by = r"(?:\s+(?!by\b)[^\W\d_][\w'’-]*){1,3}?\s+by"
    object_gap = r"(?:\s+(?!by\b)[^\W\d_][\w'’-]*){1,4}?(?:\s+by)?"
    compound = r"(?:\s+[^\W\d_]+(?:-[^\W\d_]+)+)?"  # "8% year-on-year growth"
    multipliers = [row for row in change_words if row.multiplier is not None]
    multiplier_words = "|".join(
        f"{words_pattern(row.words)}{not_followed_by(row.not_followed_by)}" for row in multipliers
    )
    led = f"(?<!\\w)(?P<dir>{before})"
    # where a rule led by a direction word may start
    opening = guarded(f"(?<!\\w){before}", re.IGNORECASE)
    signs = numbers.percent_signs
    # the words a stretch of text must hold for each pattern to be tried there
    return (
        _rule(f"{led}(?:{link}|{object_by})\\s+{qualifier}{percent}", signs, opening),
        _rule(f"{_START}{qualifier}{percent}{compound}(?:\\s+|\\s*-\\s*)(?P<dir>{after})", signs),
        _rule(
            f"(?<!\\w){qualifier}(?P<mult>{multiplier_words or '(?!)'})",
            [word for row in multipliers for word in row.words],
        ),
        _rule(
            f"{led}(?:{link}|{object_gap})\\s+{qualifier}{times}{not_frequency}", [_TIMES], opening
        ),
        _rule(f"{_START}{qualifier}{times}\\s+(?P<dir>{after})", [_TIMES]),
        _rule(f"{led}(?:{link}|{object_gap})\\s+{qualifier}{fold}", [_FOLD], opening),
        _rule(f"{_START}{qualifier}{fold}(?:\\s+|-)(?P<dir>{after})", [_FOLD]),
    )


def _rule(
    source: str, words: Iterable[str] = (), opening: re.Pattern[str] | None = None
) -> Rule:
    """A case-insensitive pattern and the words one of which its every match holds: the
    last word of each phrase ("cent" of "per cent", which any spacing keeps whole).

    A pattern tried everywhere gets the look-ahead of ``guarded``; one tried only where its
    words are does not (the look-ahead would cost more to build than it saves), and is
    compiled only when first tried (a text without its words never needs it)."""
    last = tuple(sorted({phrase.split()[-1].lower() for phrase in words if phrase.split()}))
    if last:
        return Rule(source, last, re.IGNORECASE, opening)
    return Rule(guarded(source, re.IGNORECASE), opening=opening)


def bare_pattern(qualifiers: list[QualifierRow], currencies: list[CurrencyRow]) -> re.Pattern[str]:
    """A whole number with no unit and no scale ("4,352", "about 12,000"): never an amount by
    itself, only a count where the extractor knows from the clause what it counts."""
    before = words_pattern(row.phrase for row in qualifiers if row.position == "before")
    signs = currency_signs(currencies)
    return re.compile(
        f"(?<![\\w.,{signs}])(?<!\\d:)(?:(?P<qual>{before})\\s+)?(?P<f1>{_DIGIT_FIGURE})"
        r"(?![\w%'’]|[.:]\d|[-–—]\d)",
        re.IGNORECASE,
    )


def difference_patterns(
    rows: Iterable[ChangeWordRow],
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A figure that is a difference, not a level: led by a direction word ("decreased by
    1,200 tons", "an increase of 100 tons") or followed by one ("174,960 tons less")."""
    before = [w for r in rows if r.position in ("before", "both") for w in r.words]
    after = [w for r in rows if r.position in ("after", "both") for w in r.words]
    return (
        re.compile(rf"{words_pattern(before)}(?:\s+(?:by|of))?\s*$", re.IGNORECASE),
        re.compile(rf"\s*{words_pattern(after)}", re.IGNORECASE),
    )
