"""Faster scanning with the same matches: a look-ahead at the letters a match can start with.

Python's ``re`` tries a pattern at every position of the text. For a long alternation with
optional parts up front ("about", "some", a currency sign, a number word...) that costs the
whole pattern at each position, although most positions hold a letter no match can start
with. ``quick_start`` puts ``(?=[...])`` with those letters in front of the pattern, worked
out from the parsed pattern, so such positions fail at once. Where the letters cannot be
known (a pattern that may match the empty string, ``.``, a negated class), the pattern is
left as it is.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}


class _Unknown(Exception):
    """The first letters of this pattern cannot be listed."""


def quick_start(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` behind a look-ahead at its possible first letters, when they can be listed.

    >>> quick_start(re.compile(r"(?:about\\s+)?\\d+%", re.I)).pattern
    '(?=[\\\\da])(?:(?:about\\\\s+)?\\\\d+%)'
    >>> quick_start(re.compile(r"x?")).pattern
    'x?'
    """
    if not regex.flags & re.IGNORECASE and "(?i" in regex.pattern:
        return regex  # letters folded inside but not outside: keep it simple, leave it
    try:
        items, nullable = _first(list(sre_parse.parse(regex.pattern, regex.flags)))
    except (_Unknown, re.error, TypeError, ValueError):
        return regex
    if nullable or not items:
        return regex
    return re.compile(f"(?=[{''.join(sorted(items))}])(?:{regex.pattern})", regex.flags)


def _first(sequence: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """The class items that can start a match of ``sequence``, and whether it can be empty."""
    found: set[str] = set()
    for op, value in sequence:
        if op in _ZERO_WIDTH:
            continue
        items, nullable = _first_of(op, value)
        found |= items
        if not nullable:
            return found, False
    return found, True


def _first_of(op: Any, value: Any) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {re.escape(chr(value))}, False
    if op is sre.IN:
        return _class_items(value), False
    if op is sre.SUBPATTERN:
        return _first(list(value[-1]))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first(list(value))
    if op is sre.BRANCH:
        found: set[str] = set()
        nullable = False
        for branch in value[1]:
            items, empty = _first(list(branch))
            found |= items
            nullable = nullable or empty
        return found, nullable
    if op in _REPEATS:
        low, _, body = value
        items, empty = _first(list(body))
        return items, empty or low == 0
    raise _Unknown(op)


def _class_items(members: list[tuple[Any, Any]]) -> set[str]:
    items: set[str] = set()
    for op, value in members:
        if op is sre.LITERAL:
            items.add(re.escape(chr(value)))
        elif op is sre.RANGE:
            low, high = value
            items.add(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is sre.CATEGORY and value in _CATEGORIES:
            items.add(_CATEGORIES[value])
        else:  # a negated class, a compiled charset: not worth listing
            raise _Unknown(op)
    return items
