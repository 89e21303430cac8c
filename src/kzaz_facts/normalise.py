"""Find amounts and relative changes in running text and normalise them to plain numbers.

"almost 60,000 people" -> 60000 people, approximate; "$2.5bn" -> 2500000000 USD;
"200 million manat (about $117.6 million)" -> 117600000 USD converted from 200000000 AZN;
"decreased by 6.5 percent" -> -6.5 percent; "tripled" -> multiplier 3.

All vocabulary (number words, scales, currencies, units, qualifiers, direction words) lives in
``data/`` (numbers.json, currencies.jsonl, units.jsonl, qualifiers.jsonl, changes.jsonl).
``Normaliser`` reads it and compiles its regular expressions once; a call is then a few
``finditer`` loops and the small pure functions below. Offsets are half-open character offsets
into the string passed in, so ``text[match.start:match.end] == match.text``.

>>> normaliser = default_normaliser()
>>> [(m.text, m.amount, m.unit) for m in normaliser.find_amounts("Trade reached $2.5bn.")]
[('$2.5bn', 2500000000, 'USD')]
>>> [(m.text, m.percent) for m in normaliser.find_changes("Exports fell 3% in May.")]
[('fell 3%', -3)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kzaz_facts.errors import DataError
from kzaz_facts.resources import (
    default_data_dir,
    read_json,
    read_jsonl,
    resolve_data_dir,
    validated,
)

Number = int | float


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """One amount: a figure with its unit, qualifier and, for ranges, its bounds.

    ``amount`` is the plain number (a range gives its midpoint); ``unit`` is an ISO 4217 code,
    "t", "TEU", "people" (or another unit of ``units.jsonl``) or None when only a scale was
    given; ``original_*`` keep the figure a US-dollar conversion in the same phrase replaced.
    """

    start: int
    end: int
    text: str
    amount: Number
    unit: str | None
    approximate: bool
    qualifier: str | None
    low: Number | None
    high: Number | None
    original_amount: Number | None
    original_unit: str | None


@dataclass(frozen=True, slots=True)
class ChangeMatch:
    """One relative change: a percentage (negative for a fall) or a multiplier ("tripled" = 3)."""

    start: int
    end: int
    text: str
    percent: Number | None
    multiplier: Number | None
    low: Number | None
    high: Number | None
    approximate: bool


# -- data rows ----------------------------------------------------------------------------


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NumbersTable(_Row):
    """``numbers.json``: number words, scales and the small closed word lists of the grammar."""

    units: dict[str, int]
    tens: dict[str, int]
    hundreds: dict[str, int]
    scales: dict[str, int]
    symbol_scales: dict[str, int]
    fractions: dict[str, Decimal]
    articles: list[str]
    percent_signs: list[str]
    frequency_words: list[str]
    landmarks: list[str]
    conversion_links: list[str]
    year_prepositions: list[str]
    function_words: list[str]


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


# -- number words -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberWords:
    """The number vocabulary ``parse_number`` needs, keyed by lower-case word."""

    units: Mapping[str, Decimal]
    tens: Mapping[str, Decimal]
    hundreds: Mapping[str, Decimal]
    scales: Mapping[str, Decimal]
    fractions: Mapping[str, Decimal]
    articles: frozenset[str]


def number_words(table: NumbersTable) -> NumberWords:
    """The parsing vocabulary of one ``numbers.json`` (symbol scales count as scales)."""

    def decimals(mapping: Mapping[str, int | Decimal]) -> dict[str, Decimal]:
        return {word.lower(): Decimal(value) for word, value in mapping.items()}

    return NumberWords(
        units=decimals(table.units),
        tens=decimals(table.tens),
        hundreds=decimals(table.hundreds),
        scales=decimals({**table.symbol_scales, **table.scales}),
        fractions=decimals(table.fractions),
        articles=frozenset(word.lower() for word in table.articles),
    )


def read_numbers(path: Path) -> NumbersTable:
    return validated(NumbersTable, read_json(path), path)


@cache
def default_number_words() -> NumberWords:
    """The packaged number vocabulary, read on first use."""
    return number_words(read_numbers(default_data_dir() / "numbers.json"))


# Digits with optional thousands commas and decimals, a word, or any other single character
# (which makes the phrase invalid unless it is a hyphen).
_NUMBER_TOKEN = re.compile(r"\d+(?:[,\u00a0\u202f\u2009]\d+)*(?:\.\d+)?|[^\W\d_]+|\S")
# Thousands grouped by commas ("1,250,000") or by no-break / thin spaces, which typesetters use
# for the same purpose; a plain space is not a group separator ("in 2019 191 million").
_GROUPED = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+|\d+)(?:\.\d+)?"
_DIGITS = re.compile(_GROUPED)
_GROUP_SEPARATORS = str.maketrans("", "", ",\u00a0\u202f\u2009")


def plain_number(value: Decimal) -> Number:
    """An ``int`` when whole, else a ``float``: JSON readers never see ``465000000.0``.

    >>> plain_number(Decimal("5100000000.0")), plain_number(Decimal("2.40"))
    (5100000000, 2.4)
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_decimal(words: str, vocabulary: NumberWords | None = None) -> Decimal | None:
    """The exact value of a number phrase, or None when it is not one.

    >>> parse_decimal("5.1 billion")
    Decimal('5100000000.0')
    >>> parse_decimal("one hundred and twenty-five thousand")
    Decimal('125000')
    >>> parse_decimal("a quarter of a billion")
    Decimal('250000000.00')
    >>> parse_decimal("a") is None, parse_decimal("1,5") is None, parse_decimal("5%") is None
    (True, True, True)
    """
    vocab = vocabulary or default_number_words()
    total = Decimal(0)
    current: Decimal | None = None
    previous = "start"
    seen_article = False
    for token in _NUMBER_TOKEN.findall(words.lower()):
        if token == "-":
            continue
        if token[0].isdigit():
            if current is not None or not _DIGITS.fullmatch(token):
                return None
            current, previous = Decimal(token.translate(_GROUP_SEPARATORS)), "digits"
        elif token in vocab.units or token in vocab.tens:
            is_ten = token in vocab.tens
            # "twenty five" and "hundred and five" are numbers; "five twenty" and "5 two" are not.
            if previous in {"digits", "unit", "fraction"} or (previous == "ten" and is_ten):
                return None
            current = (current or Decimal(0)) + (
                vocab.tens[token] if is_ten else vocab.units[token]
            )
            previous = "ten" if is_ten else "unit"
        elif token in vocab.hundreds:
            current, previous = (current or Decimal(1)) * vocab.hundreds[token], "hundred"
        elif token in vocab.scales:
            if current is None and not seen_article:
                return None
            total += (current or Decimal(1)) * vocab.scales[token]
            current, previous, seen_article = None, "scale", False
        elif token in vocab.fractions:
            if previous == "and" and current is not None:
                current += vocab.fractions[token]
            elif current is None:
                current = vocab.fractions[token]
            else:
                return None
            previous = "fraction"
        elif token in vocab.articles:
            seen_article = True
        elif token == "and" and current is not None:
            previous = "and"
        elif token == "of" and previous == "fraction":
            continue  # "a quarter of a billion"
        else:
            return None
    if current is not None:
        total += current
    elif previous != "scale":
        return None  # nothing numeric at all ("a", "and")
    return total


def parse_number(words: str, vocabulary: NumberWords | None = None) -> Number | None:
    """A number phrase as a plain number: digits, number words, fractions and scales.

    >>> parse_number("2,523"), parse_number("5.1"), parse_number("one"), parse_number("half a")
    (2523, 5.1, 1, 0.5)
    >>> parse_number("two and a half"), parse_number("half a billion"), parse_number("$1bn")
    (2.5, 500000000, None)
    >>> parse_number("5.1 billion"), parse_number("1bn"), parse_number("twenty-five")
    (5100000000, 1000000000, 25)
    >>> parse_number("thirty years") is None
    True
    """
    value = parse_decimal(words, vocabulary)
    return None if value is None else plain_number(value)


def scale_of(figure: str, vocabulary: NumberWords) -> tuple[str, Decimal] | None:
    """The scale word a figure ends with, if any.

    >>> scale_of("1.2 million", default_number_words())
    ('million', Decimal('1000000'))
    >>> scale_of("$5m", default_number_words()), scale_of("2,523", default_number_words())
    (('m', Decimal('1000000')), None)
    """
    tokens = _NUMBER_TOKEN.findall(figure.lower())
    if tokens and tokens[-1] in vocabulary.scales:
        return tokens[-1], vocabulary.scales[tokens[-1]]
    return None


# -- regex building -----------------------------------------------------------------------


@dataclass(slots=True)
class _Trie:
    children: dict[str, _Trie]
    tail: str | None = None


def _trie_pattern(phrases: Iterable[str], *, bounded: bool) -> str:
    """Phrases merged by common prefix, so the engine tests one letter per branch point
    instead of every phrase in turn; a longer continuation is tried before a phrase ends."""
    root = _Trie({})
    for phrase in phrases:
        node = root
        for index, word in enumerate(phrase.split()):
            for atom in ([r"\s+"] if index else []) + [re.escape(char) for char in word]:
                node = node.children.setdefault(atom, _Trie({}))
        node.tail = r"\b" if bounded and phrase[-1:].isalnum() else ""

    def render(node: _Trie) -> str:
        branches = [atom + render(child) for atom, child in sorted(node.children.items())]
        if node.tail is not None:
            branches.append(node.tail)
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(root) if root.children else "(?!)"


def alternation(phrases: Iterable[str], *, case_sensitive: bool = False) -> str:
    r"""A non-capturing group matching any phrase; the longest wins ("US dollars" over "dollars").

    Words may be separated by any run of spaces; a phrase starting or ending with a letter or
    digit is bounded there by ``\b``.

    >>> alternation(["dollars", "US dollars", "dollar"])
    '(?:\\b(?:dollar(?:s\\b|\\b)|us\\s+dollars\\b))'
    >>> alternation(["USD", "$"], case_sensitive=True)
    '(?-i:\\bUSD\\b|\\$)'
    >>> re.fullmatch(alternation(["more than", "more"]), "More  than", re.IGNORECASE) is not None
    True
    >>> alternation([])
    '(?!)'
    """
    unique = {phrase if case_sensitive else phrase.lower() for phrase in phrases if phrase.strip()}
    worded = [phrase for phrase in unique if phrase[:1].isalnum()]
    other = [phrase for phrase in unique if not phrase[:1].isalnum()]
    branches = ([r"\b" + _trie_pattern(worded, bounded=True)] if worded else []) + (
        [_trie_pattern(other, bounded=True)] if other else []
    )
    if not branches:
        return "(?!)"
    group = "|".join(branches)
    return f"(?-i:{group})" if case_sensitive else f"(?:{group})"


def bare_alternation(words: Iterable[str]) -> str:
    """Words with no boundary at either end, for compounds written solid ("threefold", "1bn").

    >>> bare_alternation(["ten", "three", "thirteen"])
    '(?:t(?:en|h(?:irteen|ree)))'
    """
    return "(?:" + _trie_pattern({word.lower() for word in words}, bounded=False) + ")"


def key(phrase: str) -> str:
    """The lookup key of a matched phrase: lower case, single spaces.

    >>> key("US   Dollars")
    'us dollars'
    """
    return " ".join(phrase.lower().split())


def not_followed_by(words: Iterable[str]) -> str:
    r"""A negative lookahead refusing the given next words (or characters, such as a hyphen).

    >>> not_followed_by(["tax", "-"])
    '(?!\\s+tax\\b|\\s*\\-)'
    >>> not_followed_by([])
    ''
    """
    options = [
        rf"\s+{re.escape(word)}\b" if word[:1].isalnum() else rf"\s*{re.escape(word)}"
        for word in words
    ]
    return f"(?!{'|'.join(options)})" if options else ""


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpannedT = TypeVar("SpannedT", bound=_Spanned)


def non_overlapping(candidates: Iterable[SpannedT]) -> list[SpannedT]:
    """Keep the earliest candidate, and the longest of those starting together; drop overlaps.

    >>> from types import SimpleNamespace as S
    >>> [(c.start, c.end) for c in non_overlapping([S(start=4, end=9), S(start=0, end=5),
    ...                                              S(start=0, end=3), S(start=9, end=12)])]
    [(0, 5), (9, 12)]
    """
    chosen: list[SpannedT] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if not chosen or candidate.start >= chosen[-1].end:
            chosen.append(candidate)
    return chosen


def windows(
    triggers: Iterable[re.Match[str]], text: str, margin: int = 160
) -> list[tuple[int, int]]:
    """Stretches of ``text`` around each trigger, widened to whitespace and merged.

    A match never reaches further than ``margin`` characters from its digit or number word
    (a qualifier or "increased exports by" before, a unit and "or more" after), and cutting at
    whitespace keeps "$5 million|aires" from ending inside a word.

    >>> text = "Trade rose. " + "x " * 100 + "It hit $5 million."
    >>> windows(re.finditer(r"\\d", text), text, margin=10)
    [(210, 230)]
    >>> windows(re.finditer(r"\\d", "1 and 2"), "1 and 2", margin=10)
    [(0, 7)]
    """
    regions: list[tuple[int, int]] = []
    for trigger in triggers:
        low = max(0, trigger.start() - margin)
        high = min(len(text), trigger.end() + margin)
        while low > 0 and not text[low - 1].isspace():
            low -= 1
        while high < len(text) and not text[high].isspace():
            high += 1
        if regions and low <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(high, regions[-1][1]))
        else:
            regions.append((low, high))
    return regions


def midpoint(low: Decimal, high: Decimal) -> Decimal:
    """The middle of a range ("400-500 million" -> 450 million).

    >>> midpoint(Decimal(400000000), Decimal(500000000))
    Decimal('450000000')
    """
    return (low + high) / 2


def looks_like_year(figure: str) -> bool:
    """A bare four-digit number between 1900 and 2099 ("2023"), not "2,023" or "2023.5".

    >>> looks_like_year("2023"), looks_like_year("2,023"), looks_like_year("1200")
    (True, False, False)
    """
    return len(figure) == 4 and figure.isdigit() and 1900 <= int(figure) <= 2099


# Grammar words of the patterns themselves (not vocabulary): a dash between the two ends of a
# range, the "between X and Y" frame, the "the ... mark" frame, "by"/"of" after a direction
# word ("increased by", "an increase of") and the multiplicative "times" / "-fold".
_DASH = r"(?:\s?[-–—]\s?)"
_SPACE_OR_HYPHEN = r"(?:\s+|-)"
_START = r"(?<![\w.,])"
_DIGIT_FIGURE = rf"(?:{_GROUPED}(?![.,\u00a0\u202f\u2009]?\d))"
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)\W*$")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """Everything a match is resolved against, built once from the tables."""

    words: NumberWords
    units: Mapping[str, str]  # key(alias) or exact code -> unit / ISO code
    currencies: frozenset[str]
    year_prepositions: frozenset[str]
    directions: Mapping[str, int]  # key(word) -> +1 / -1
    multipliers: Mapping[str, Decimal]


# -- the normaliser -----------------------------------------------------------------------


class Normaliser:
    """Compiled amount and change patterns over one data directory; build once, call often."""

    def __init__(self, data_dir: Path | None = None) -> None:
        directory = resolve_data_dir(data_dir)
        numbers = read_numbers(directory / "numbers.json")
        currencies = read_jsonl(directory / "currencies.jsonl", CurrencyRow)
        units = read_jsonl(directory / "units.jsonl", UnitRow)
        qualifiers = read_jsonl(directory / "qualifiers.jsonl", QualifierRow)
        change_words = read_jsonl(directory / "changes.jsonl", ChangeWordRow)
        self._lexicon = _build_lexicon(numbers, currencies, units, change_words, directory)
        self.units = UnitKinds(
            facts={row.unit: row.fact for row in units if row.fact is not None},
            currencies=self._lexicon.currencies,
        )
        self._amount_patterns = _amount_patterns(numbers, currencies, units, qualifiers)
        self._change_patterns = _change_patterns(numbers, qualifiers, change_words)
        self._conversion = re.compile(
            r"\s*(?P<paren>\()\s*(?:" + alternation(numbers.conversion_links) + r"\s*)?"
            r"|\s*,?\s*" + alternation(numbers.conversion_links) + r"\s*",
            re.IGNORECASE,
        )
        self._close_paren = re.compile(r"\s*\)")
        # Every amount holds a digit or a number word, every change a digit, a number word
        # ("threefold") or a multiplier verb; the patterns only scan the text around those.
        number_words = [*numbers.units, *numbers.tens, *numbers.hundreds, *numbers.scales]
        # A run of digits is one trigger: its window is the same as that of each digit.
        self._amount_trigger = re.compile(r"\d+|" + alternation(number_words), re.IGNORECASE)
        multiplier_words = [word for row in change_words if row.multiplier for word in row.words]
        self._change_trigger = re.compile(
            r"\d+|\b"
            + bare_alternation([*numbers.units, *numbers.tens])
            + "|"
            + alternation(multiplier_words),
            re.IGNORECASE,
        )

    # -- amounts --------------------------------------------------------------------------

    def find_amounts(self, text: str) -> list[AmountMatch]:
        """Amounts in ``text``, sorted by start and non-overlapping.

        >>> n = default_normaliser()
        >>> [(m.text, m.amount, m.unit, m.qualifier) for m in n.find_amounts(
        ...     "Trade approached the half-billion mark; some 60,000 foreign tourists came.")]
        [('approached the half-billion mark', 500000000, None, 'approached'), \
('some 60,000 foreign tourists', 60000, 'people', 'some')]
        >>> [(m.amount, m.low, m.high) for m in n.find_amounts("worth $2-3 billion")]
        [(2500000000, 2000000000, 3000000000)]
        >>> n.find_amounts("in 2023, 30 years on, at the 75th session, 10,000 square kilometers")
        []
        """
        candidates: list[AmountMatch] = []
        regions = windows(self._amount_trigger.finditer(text), text)
        for pattern in self._amount_patterns:
            for low, high in regions:
                for match in pattern.finditer(text, low, high):
                    found = self._amount(pattern, match, text)
                    if found is not None:
                        candidates.append(found)
        return self._merge_conversions(non_overlapping(candidates), text)

    def _amount(
        self, pattern: re.Pattern[str], match: re.Match[str], text: str
    ) -> AmountMatch | None:
        lexicon = self._lexicon
        groups = match.groupdict()
        unit = _unit_of(groups, lexicon.units)
        first, second = groups["f1"], groups.get("f2")
        first_scale = scale_of(first, lexicon.words)
        second_scale = scale_of(second, lexicon.words) if second else None
        if unit is None and first_scale is None and second_scale is None:
            return None  # a bare number is never an amount
        low = parse_decimal(first, lexicon.words)
        if low is None:
            return None
        high: Decimal | None = None
        if second:
            if looks_like_year(first) and looks_like_year(second):
                return None  # "2022-2026"
            high = parse_decimal(second, lexicon.words)
            if first_scale is None and second_scale is not None:
                low *= second_scale[1]  # "400-500 million", "$2-3 billion"
            if high is None or not low < high:
                # "in 2019 – 191 million tons": not a range; read what follows the dash alone
                restart = match.start("f2") if groups.get("pre2") is None else match.start("pre2")
                retry = pattern.match(text, restart)
                return self._amount(pattern, retry, text) if retry else None
        elif (
            groups.get("pre") is None
            and first_scale is None
            and looks_like_year(first)
            and _previous_word(text, match.start()) in lexicon.year_prepositions
        ):
            return None  # "in 2023 tourists from ..." is a year, not 2023 people
        elif groups.get("pre") is None and first_scale is None and low == 1:
            return None  # "one person said", "a visitor": a pronoun or article, not a count
        qualifier = groups.get("qual") or groups.get("qafter")
        ranged = high is not None
        return AmountMatch(
            start=match.start(),
            end=match.end(),
            text=match.group(),
            amount=plain_number(midpoint(low, high) if high is not None else low),
            unit=unit,
            approximate=qualifier is not None or ranged,
            qualifier=key(qualifier) if qualifier else None,
            low=plain_number(low) if high is not None else None,
            high=plain_number(high) if high is not None else None,
            original_amount=None,
            original_unit=None,
        )

    def _merge_conversions(self, amounts: list[AmountMatch], text: str) -> list[AmountMatch]:
        """Join "200 million manat (about $117.6 million)" into one USD amount with its original."""
        merged: list[AmountMatch] = []
        index = 0
        while index < len(amounts):
            current = amounts[index]
            following = amounts[index + 1] if index + 1 < len(amounts) else None
            joined = self._conversion_of(current, following, text) if following else None
            if joined is not None:
                merged.append(joined)
                index += 2
            else:
                merged.append(current)
                index += 1
        return merged

    def _conversion_of(
        self, original: AmountMatch, usd: AmountMatch, text: str
    ) -> AmountMatch | None:
        if (
            usd.unit != "USD"
            or original.unit in (None, "USD")
            or original.unit not in self._lexicon.currencies
            or usd.original_amount is not None
        ):
            return None
        link = self._conversion.fullmatch(text, original.end, usd.start)
        if link is None:
            return None
        end = usd.end
        if link.group("paren"):
            close = self._close_paren.match(text, usd.end)
            if close is None:
                return None
            end = close.end()
        return AmountMatch(
            start=original.start,
            end=end,
            text=text[original.start : end],
            amount=usd.amount,
            unit="USD",
            approximate=True,  # a conversion is only as exact as the rate behind it
            qualifier=original.qualifier or usd.qualifier,
            low=usd.low,
            high=usd.high,
            original_amount=original.amount,
            original_unit=original.unit,
        )

    # -- changes --------------------------------------------------------------------------

    def find_changes(self, text: str) -> list[ChangeMatch]:
        """Relative changes in ``text``, sorted by start and non-overlapping.

        >>> n = default_normaliser()
        >>> [(m.text, m.percent, m.multiplier) for m in n.find_changes(
        ...     "Turnover was 22% higher, cargo tripled and visits decreased by 6.5 percent.")]
        [('22% higher', 22, None), ('tripled', None, 3), ('decreased by 6.5 percent', -6.5, None)]
        >>> n.find_changes("Grain accounts for 30% of trade; he visited five times.")
        []
        """
        candidates: list[ChangeMatch] = []
        regions = windows(self._change_trigger.finditer(text), text)
        for pattern in self._change_patterns:
            for low, high in regions:
                for match in pattern.finditer(text, low, high):
                    found = self._change(match)
                    if found is not None:
                        candidates.append(found)
        return non_overlapping(candidates)

    def _change(self, match: re.Match[str]) -> ChangeMatch | None:
        lexicon = self._lexicon
        groups = match.groupdict()
        approximate = groups.get("qual") is not None
        if groups.get("mult"):
            return ChangeMatch(
                start=match.start(),
                end=match.end(),
                text=match.group(),
                percent=None,
                multiplier=plain_number(lexicon.multipliers[key(groups["mult"])]),
                low=None,
                high=None,
                approximate=approximate,
            )
        direction = lexicon.directions[key(groups["dir"])]
        is_percent = groups.get("p1") is not None
        first = groups.get("p1") or groups.get("t1") or groups["tw"]
        second = groups.get("p2") or groups.get("t2")
        low = parse_decimal(first, lexicon.words)
        high = parse_decimal(second, lexicon.words) if second else None
        if (
            low is None
            or (second and (high is None or not low < high))
            or (not is_percent and low <= 0)
        ):
            return None
        bounds = (low,) if high is None else (low, high)
        if is_percent:
            values = sorted(direction * bound for bound in bounds)
        else:
            # "decreased 2.5 times" divides by 2.5
            values = sorted(bound if direction > 0 else 1 / bound for bound in bounds)
        value = values[0] if len(values) == 1 else midpoint(values[0], values[1])
        ranged = len(values) == 2
        return ChangeMatch(
            start=match.start(),
            end=match.end(),
            text=match.group(),
            percent=plain_number(value) if is_percent else None,
            multiplier=None if is_percent else plain_number(value),
            low=plain_number(values[0]) if ranged else None,
            high=plain_number(values[1]) if ranged else None,
            approximate=approximate or ranged,
        )


@cache
def default_normaliser() -> Normaliser:
    """The normaliser over the packaged data, built on first use and shared afterwards."""
    return Normaliser(default_data_dir())


# -- building helpers ---------------------------------------------------------------------


def _previous_word(text: str, start: int) -> str | None:
    found = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    return found.group(1).lower() if found else None


def _unit_of(groups: Mapping[str, str | None], units: Mapping[str, str]) -> str | None:
    for name in ("pre", "suf1", "pre2", "suf", "msuf"):
        alias = groups.get(name)
        if alias:
            return units.get(alias.strip()) or units.get(key(alias))
    return None


def _build_lexicon(
    numbers: NumbersTable,
    currencies: list[CurrencyRow],
    units: list[UnitRow],
    change_words: list[ChangeWordRow],
    directory: Path,
) -> _Lexicon:
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
    return _Lexicon(
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
        f"(?:{alternation(numbers.tens)}(?:[\\s-]+{alternation(numbers.units)})?"
        f"|{alternation(numbers.units)})"
    )
    article = alternation(numbers.articles)
    hundred = alternation(numbers.hundreds)
    fraction = alternation(numbers.fractions)
    cardinal = (
        f"(?:(?:{small}|{article})\\s+{hundred}(?:\\s+(?:and\\s+)?{small})?|{small})"
        f"(?:\\s+and\\s+{article}\\s+{fraction})?"
    )
    partial = f"(?:(?:{article}\\s+)?{fraction}(?:\\s+of)?(?:\\s+{article})?|{article})"
    return cardinal, partial


def _figure(numbers: NumbersTable, *, symbol_scales: bool = False, words: bool = True) -> str:
    """One figure: digits or number words, with an optional scale ("1.2 million", "$1bn")."""
    # no word boundary in front: "$1bn" and "300mln" are written solid
    scale = f"{bare_alternation(numbers.scales)}\\b"
    digit_scale = f"(?:\\s+|-)?{scale}"
    if symbol_scales:
        # "$5m", "€300k": single-letter scales only when written solid after a currency sign
        digit_scale = f"(?:{digit_scale}|{bare_alternation(numbers.symbol_scales)}\\b)"
    digits = f"{_DIGIT_FIGURE}(?:{digit_scale})?"
    if not words:
        return f"(?:{digits})"
    cardinal, partial = _word_figures(numbers)
    return (
        f"(?:{digits}|{cardinal}(?:{_SPACE_OR_HYPHEN}{scale})?|{partial}{_SPACE_OR_HYPHEN}{scale})"
    )


def _amount_patterns(
    numbers: NumbersTable,
    currencies: list[CurrencyRow],
    units: list[UnitRow],
    qualifiers: list[QualifierRow],
) -> tuple[re.Pattern[str], ...]:
    before = alternation(row.phrase for row in qualifiers if row.position == "before")
    after = alternation(row.phrase for row in qualifiers if row.position == "after")
    codes = alternation((code for row in currencies for code in row.codes), case_sensitive=True)
    prefix = f"(?:{alternation(symbol for row in currencies for symbol in row.symbols)}|{codes})"
    extracted = [name for row in units if row.extract for name in row.names]
    suffix = (
        f"(?:{alternation(name for row in currencies for name in row.names)}|{codes}"
        f"|{alternation(extracted)})"
    )
    modified = alternation(
        name for row in units if row.extract and row.modifier for name in row.names
    )
    skipped = alternation(name for row in units if not row.extract for name in row.names)
    # one describing word between figure and noun ("60,000 foreign tourists"), but not a
    # function word, number word or measure ("30 years later people" is no amount)
    blocked = alternation(
        [*numbers.function_words, *numbers.units, *numbers.tens, *numbers.scales, *extracted]
    )
    modifier = f"(?!{blocked}|{skipped})[^\\W\\d_][\\w'’]*(?:-[^\\W\\d_][\\w'’]*)*"
    # a figure glued to a sign we do not know is not ours: "C$5 million" is not 5 million
    signs = "".join(
        sorted({re.escape(row_symbol[-1]) for row in currencies for row_symbol in row.symbols})
    )
    # and a figure right after "1 250" is the tail of a space-grouped number, not "000 tons"
    start = f"(?<![\\w.,{signs}])(?<!\\d )"
    qualifier = f"(?:(?P<qual>{before})\\s+)?"
    qualifier_after = f"(?:\\s+(?P<qafter>{after})(?!\\s+than\\b))?"
    figure = _figure(numbers)
    prefixed_figure = _figure(numbers, symbol_scales=True, words=False)
    landmark = alternation(numbers.landmarks)

    prefixed = (
        f"{start}{qualifier}(?P<pre>{prefix})\\s?(?P<f1>{prefixed_figure})"
        f"(?:{_DASH}(?:(?P<pre2>{prefix})\\s?)?(?P<f2>{prefixed_figure}))?{qualifier_after}"
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
        f"{start}between\\s+(?:(?P<pre>{prefix})\\s?)?(?P<f1>{figure})"
        f"(?:{_SPACE_OR_HYPHEN}(?P<suf1>{suffix}))?\\s+and\\s+(?:(?P<pre2>{prefix})\\s?)?"
        f"(?P<f2>{figure})(?:{_SPACE_OR_HYPHEN}(?P<suf>{suffix}))?"
    )
    marked = (
        f"{start}{qualifier}the\\s+(?:(?P<pre>{prefix})\\s?)?(?P<f1>{figure})"
        f"(?:{_SPACE_OR_HYPHEN}(?P<suf>{suffix}))?\\s+{landmark}"
    )
    return tuple(
        re.compile(source, re.IGNORECASE)
        for source in (prefixed, suffixed, scaled, between, marked)
    )


def _change_patterns(
    numbers: NumbersTable, qualifiers: list[QualifierRow], change_words: list[ChangeWordRow]
) -> tuple[re.Pattern[str], ...]:
    directed = [row for row in change_words if row.position is not None]
    before = alternation(
        w for row in directed if row.position in ("before", "both") for w in row.words
    )
    after = alternation(
        w for row in directed if row.position in ("after", "both") for w in row.words
    )
    qualifier = (
        f"(?:(?P<qual>{alternation(row.phrase for row in qualifiers if row.position == 'before')})"
        f"\\s+)?"
    )
    cardinal, _ = _word_figures(numbers)
    number = f"(?:{_DIGIT_FIGURE}|{cardinal})"
    sign = alternation(numbers.percent_signs)
    percent = f"(?P<p1>{number})(?:\\s*%)?(?:{_DASH}(?P<p2>{number}))?\\s*{sign}"
    times = f"(?P<t1>{number})(?:{_DASH}(?P<t2>{number}))?\\s+times\\b"
    # "flights increased to five times a week" counts occasions, not growth
    not_frequency = f"(?!\\s+{alternation(numbers.frequency_words)})"
    fold = (
        f"(?:(?P<t1>{_DIGIT_FIGURE})(?:{_DASH}(?P<t2>{_DIGIT_FIGURE}))?"
        f"|\\b(?P<tw>{bare_alternation([*numbers.units, *numbers.tens])}))\\s*-?\\s*fold\\b"
    )
    # "increased by", "an increase of", "rose sharply by"
    link = r"(?:\s+[^\W\d_]+ly)?(?:\s+(?:by|of))?"
    # "increased exports by 15%", "raise the capacity threefold"
    object_by = r"(?:\s+(?!by\b)[^\W\d_][\w'’-]*){1,3}?\s+by"
    object_gap = r"(?:\s+(?!by\b)[^\W\d_][\w'’-]*){1,4}?(?:\s+by)?"
    compound = r"(?:\s+[^\W\d_]+(?:-[^\W\d_]+)+)?"  # "8% year-on-year growth"
    multiplier_words = "|".join(
        f"{alternation(row.words)}{not_followed_by(row.not_followed_by)}"
        for row in change_words
        if row.multiplier is not None
    )
    sources = (
        f"(?<!\\w)(?P<dir>{before})(?:{link}|{object_by})\\s+{qualifier}{percent}",
        f"{_START}{qualifier}{percent}{compound}(?:\\s+|\\s*-\\s*)(?P<dir>{after})",
        f"(?<!\\w){qualifier}(?P<mult>{multiplier_words or '(?!)'})",
        f"(?<!\\w)(?P<dir>{before})(?:{link}|{object_gap})\\s+{qualifier}{times}{not_frequency}",
        f"{_START}{qualifier}{times}\\s+(?P<dir>{after})",
        f"(?<!\\w)(?P<dir>{before})(?:{link}|{object_gap})\\s+{qualifier}{fold}",
        f"{_START}{qualifier}{fold}(?:\\s+|-)(?P<dir>{after})",
    )
    return tuple(re.compile(source, re.IGNORECASE) for source in sources)
