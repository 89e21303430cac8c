"""Find amounts and relative changes in running text and normalise them to plain numbers.

"almost 60,000 people" -> 60000 people, approximate; "$2.5bn" -> 2500000000 USD;
"200 million manat (about $117.6 million)" -> 117600000 USD converted from 200000000 AZN;
"decreased by 6.5 percent" -> -6.5 percent; "tripled" -> multiplier 3.

All vocabulary (number words, scales, currencies, units, qualifiers, direction words) lives in
``data/`` (numbers.json, currencies.jsonl, units.jsonl, qualifiers.jsonl, changes.jsonl).
``Normaliser`` reads it and compiles its regular expressions once; a call is then one scan
for digits and number words (``triggers``), each rule tried only where a match can start
within the stretches around them (``text_windows``), and the small pure functions below.
Offsets are half-open character offsets into the string passed in, so
``text[match.start:match.end] == match.text``.

>>> normaliser = default_normaliser()
>>> [(m.text, m.amount, m.unit) for m in normaliser.find_amounts("Trade reached $2.5bn.")]
[('$2.5bn', 2500000000, 'USD')]
>>> [(m.text, m.percent) for m in normaliser.find_changes("Exports fell 3% in May.")]
[('fell 3%', -3)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from kzaz_facts.amount_grammar import (
    ChangeWordRow,
    CurrencyRow,
    QualifierRow,
    UnitKinds,
    UnitRow,
    amount_patterns,
    bare_pattern,
    build_vocabulary,
    change_patterns,
    currency_names,
    currency_signs,
    difference_patterns,
    lead_pattern,
    previous_word,
    unit_of,
)
from kzaz_facts.numbers import (
    Number,
    looks_like_year,
    midpoint,
    parse_decimal,
    parse_number,
    plain_number,
    read_numbers,
    sane,
    scale_of,
)
from kzaz_facts.resources import default_data_dir, read_jsonl, resolve_data_dir
from kzaz_facts.scan import key, words_pattern
from kzaz_facts.text_windows import (
    anchored_matches,
    lead_starts,
    non_overlapping,
    windows,
)
from kzaz_facts.triggers import Triggers

__all__ = [
    "AmountMatch",
    "ChangeMatch",
    "Normaliser",
    "UnitKinds",
    "default_normaliser",
    "parse_number",
]


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
        self._lexicon = build_vocabulary(numbers, currencies, units, change_words, directory)
        self.currency_signs = currency_signs(currencies)
        self.currency_names = currency_names(currencies)
        self.units = UnitKinds(
            facts={row.unit: row.fact for row in units if row.fact is not None},
            currencies=self._lexicon.currencies,
        )
        self.amount_rules = amount_patterns(numbers, currencies, units, qualifiers)
        self._lead = lead_pattern(numbers, currencies, qualifiers)
        self.change_rules = change_patterns(numbers, qualifiers, change_words)
        self._bare = bare_pattern(qualifiers, currencies)
        self.difference_before, self.difference_after = difference_patterns(change_words)
        self._conversion = re.compile(
            r"\s*(?P<paren>\()\s*(?:" + words_pattern(numbers.conversion_links) + r"\s*)?"
            r"|\s*,?\s*" + words_pattern(numbers.conversion_links) + r"\s*",
            re.IGNORECASE,
        )
        self._close_paren = re.compile(r"\s*\)")
        multiplier_words = [word for row in change_words if row.multiplier for word in row.words]
        self.triggers = Triggers(numbers, multiplier_words)

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
        return self._amounts(text, self.triggers.find(text)[0])

    def find_quantities(self, text: str) -> tuple[list[AmountMatch], list[ChangeMatch]]:
        """``find_amounts`` and ``find_changes`` of ``text``, from one scan for triggers."""
        amounts, changes = self.triggers.find(text)
        return self._amounts(text, amounts), self._changes(text, changes)

    def _amounts(self, text: str, triggers: list[tuple[int, int]]) -> list[AmountMatch]:
        candidates: list[AmountMatch] = []
        regions = windows(triggers, text)
        starts = lead_starts(triggers, regions, text, self._lead)
        for pattern, match in anchored_matches(self.amount_rules, text, regions, starts):
            found = self._amount(pattern, match, text)
            if found is not None:
                candidates.append(found)
        return self._merge_conversions(non_overlapping(candidates), text)

    def _amount(
        self, pattern: re.Pattern[str], match: re.Match[str], text: str
    ) -> AmountMatch | None:
        lexicon = self._lexicon
        groups = match.groupdict()
        unit = unit_of(groups, lexicon.units)
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
            and previous_word(text, match.start()) in lexicon.year_prepositions
        ):
            return None  # "in 2023 tourists from ..." is a year, not 2023 people
        elif groups.get("pre") is None and first_scale is None and low == 1:
            return None  # "one person said", "a visitor": a pronoun or article, not a count
        if not sane(low, high):
            return None  # "$1e309 million", a figure of thousands of digits
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

    def bare_numbers(self, text: str, start: int, end: int) -> list[AmountMatch]:
        """Whole numbers with no unit or scale in ``text[start:end]``, years left out; their
        ``unit`` is None. They are counts only where their clause says what is counted.

        >>> n = default_normaliser()
        >>> [(m.text, m.amount, m.approximate) for m in n.bare_numbers(
        ...     "In 2023 they numbered 4,352, in 2016 about 12,000; 2.5 and 3% not.", 0, 66)]
        [('4,352', 4352, False), ('about 12,000', 12000, True)]
        >>> [m.text for m in n.bare_numbers("at 10:30, from 2017-2023, $500, 12th, 5%", 0, 40)]
        []
        """
        found = []
        for match in self._bare.finditer(text, start, end):
            figure = match.group("f1")
            if "." in figure or looks_like_year(figure):
                continue
            number = parse_decimal(figure, self._lexicon.words)
            qualifier = match.group("qual")
            if number is None or number <= 1:
                continue
            found.append(
                AmountMatch(
                    start=match.start(),
                    end=match.end(),
                    text=match.group(),
                    amount=plain_number(number),
                    unit=None,
                    approximate=qualifier is not None,
                    qualifier=key(qualifier) if qualifier else None,
                    low=None,
                    high=None,
                    original_amount=None,
                    original_unit=None,
                )
            )
        return found

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
        return self._changes(text, self.triggers.find(text)[1])

    def _changes(self, text: str, triggers: list[tuple[int, int]]) -> list[ChangeMatch]:
        candidates: list[ChangeMatch] = []
        regions = windows(triggers, text)
        anchors = self.triggers.change_anchors(text, triggers)
        starts = lead_starts(anchors, regions, text, self._lead)
        for _, match in anchored_matches(self.change_rules, text, regions, starts):
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
        if not sane(low, high):
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
