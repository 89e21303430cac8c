"""Pure number parsing: "5.1 billion" -> 5100000000, "two and a half" -> 2.5.

The vocabulary (number words, scales, fractions, articles) is ``data/numbers.json``;
``NumberWords`` is its parsing view. Nothing here searches running text: ``normalise.py``
finds the figures and hands their words to ``parse_decimal``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kzaz_facts.resources import default_data_dir, read_json, validated

Number = int | float


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
GROUPED = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+|\d+)(?:\.\d+)?"
_DIGITS = re.compile(GROUPED)
_GROUP_SEPARATORS = str.maketrans("", "", ",\u00a0\u202f\u2009")


# A figure at or above this, in any unit, is no amount: no trade, cargo or count comes near a
# quadrillion, and past it lie figures no JSON reader or float takes ("$1e309", 5,000 digits).
MAX_AMOUNT = Decimal(10) ** 15


def sane(*values: Decimal | None) -> bool:
    """Every given value below ``MAX_AMOUNT`` in size.

    >>> sane(Decimal("999999999999999"), None), sane(Decimal(10) ** 15), sane(Decimal("-1e20"))
    (True, False, False)
    """
    return all(value is None or abs(value) < MAX_AMOUNT for value in values)


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
    >>> parse_decimal("three quarters of a billion"), parse_decimal("0 billion")
    (Decimal('750000000.00'), Decimal('0'))
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
            base = Decimal(1) if current is None else current
            current, previous = base * vocab.hundreds[token], "hundred"
        elif token in vocab.scales:
            if current is None and not seen_article:
                return None
            total += (Decimal(1) if current is None else current) * vocab.scales[token]
            current, previous, seen_article = None, "scale", False
        elif token in vocab.fractions:
            if previous == "and" and current is not None:
                current += vocab.fractions[token]
            elif previous in {"unit", "ten"} and current is not None:
                current *= vocab.fractions[token]  # "three quarters"
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
