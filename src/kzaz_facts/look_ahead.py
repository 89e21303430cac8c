"""A look-ahead at a pattern's possible first letters, so that ``re`` skips at once the
positions where no match can start; the matches stay the same.

Python's ``re`` tries a pattern at every position of the text. For a long alternation with
optional parts up front ("about", "some", a currency sign, a number word...) that costs the
whole pattern at each position, although most positions hold a letter no match can start
with. ``quick_start`` puts ``(?=[...])`` with those letters in front of the pattern, worked
out from the parsed pattern, so such positions fail at once. Where the letters cannot be
known (a pattern that may match the empty string, ``.``, a negated class), the pattern is
left as it is.

Working the letters out parses the pattern once more; for patterns built from shared parts
(the period rules' ``{slots}``) ``Shorthands`` parses each part once, and each pattern as a
short sketch. This module reads ``re``'s own parser (``re._parser``): the one way to list
what a pattern may start with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    try:
        source = quick_source(regex.pattern, regex.flags)
    except re.error:
        return regex
    return regex if source == regex.pattern else re.compile(source, regex.flags)


def compile_quick(source: str, flags: int = 0, sketch: Sketch | None = None) -> re.Pattern[str]:
    """``quick_start(re.compile(source, flags))`` for less work: the first letters come from
    one parse (of ``sketch`` when given, see ``Shorthands``) and the pattern is compiled once.
    A bad ``source`` raises ``re.error``.

    >>> compile_quick(r"(?:about\\s+)?\\d+%", re.I).pattern
    '(?=[\\\\da])(?:(?:about\\\\s+)?\\\\d+%)'
    """
    return re.compile(quick_source(source, flags, sketch), flags)


def quick_source(source: str, flags: int = 0, sketch: Sketch | None = None) -> str:
    """The source of ``quick_start``'s pattern: ``source`` behind the look-ahead, or ``source``
    itself when its first letters cannot be listed. A bad ``source`` raises ``re.error``."""
    if not flags & re.IGNORECASE and "(?i" in source:
        return source  # letters folded inside but not outside: keep it simple, leave it
    try:
        items, nullable = _start(source, flags, sketch)
    except (_Unknown, TypeError, ValueError):
        return source
    if nullable or not items:
        return source
    return f"(?=[{''.join(sorted(items))}])(?:{source})"


def _start(source: str, flags: int, sketch: Sketch | None) -> tuple[set[str], bool]:
    if sketch is not None and not any(ord(char) in sketch.known for char in source):
        try:
            return _first(list(sre_parse.parse(sketch.text, flags)), sketch.known)
        except re.error:
            pass  # parsed whole below, for the error that names the pattern itself
    return _first(list(sre_parse.parse(source, flags)), {})


# -- sketches: first letters without parsing every shared part again -----------------------

# What a group's match may start with (class items) and whether it may be empty; None where
# that cannot be listed.
Start = tuple[frozenset[str], bool] | None
# Placeholder characters (Unicode's private use area) stand for the groups of a sketch.
_PLACEHOLDER = 0xE000


@dataclass(frozen=True, slots=True)
class Sketch:
    """A pattern with some of its groups written as one placeholder character each, and what
    each placeholder's group may start with."""

    text: str
    known: dict[int, Start]


class Shorthands:
    """Named parts shared by many patterns (the ``{slots}`` of the period rules).

    The first letters of each part that is one group are worked out once; a pattern built
    from the parts is sketched with a placeholder character for each such group, so that its
    own first letters come from parsing the short sketch, not the whole pattern. They are the
    same letters: a group is one item wherever it stands.
    """

    def __init__(self, parts: dict[str, str], flags: int = 0) -> None:
        self.parts = parts
        self.sketches: dict[str, str] = {}
        self.known: dict[int, Start] = {}
        for number, (name, source) in enumerate(parts.items()):
            if not _one_group(source):
                self.sketches[name] = source
                continue
            placeholder = _PLACEHOLDER + number
            self.sketches[name] = chr(placeholder)
            try:
                items, nullable = _first(list(sre_parse.parse(source, flags)), {})
                self.known[placeholder] = (frozenset(items), nullable)
            except (_Unknown, re.error, TypeError, ValueError):
                self.known[placeholder] = None

    def sketch(self, text: str) -> Sketch:
        """``text``, a pattern written with ``sketches`` in place of ``parts``, as a sketch."""
        return Sketch(text, self.known)


def _one_group(source: str) -> bool:
    r"""Whether ``source`` is one group, from its first character to its last.

    >>> _one_group(r"(?P<n>\d+|[(])"), _one_group(r"(?:a)?"), _one_group(r"(a)|(b)")
    (True, False, False)
    """
    if not source.startswith("("):
        return False
    depth = 0
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(source, index)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index == len(source) - 1
        index += 1
    return False


def _class_end(source: str, index: int) -> int:
    """The index just past the character class opening at ``index``."""
    index += 1
    if source.startswith("^", index):
        index += 1
    if source.startswith("]", index):
        index += 1
    while index < len(source) and source[index] != "]":
        index += 2 if source[index] == "\\" else 1
    return index + 1


# -- first letters ---------------------------------------------------------------------------


def _first(sequence: list[tuple[Any, Any]], known: dict[int, Start]) -> tuple[set[str], bool]:
    """The class items that can start a match of ``sequence``, and whether it can be empty;
    ``known``: what the placeholders of a sketch start with."""
    found: set[str] = set()
    for op, value in sequence:
        if op in _ZERO_WIDTH:
            continue
        items, nullable = _first_of(op, value, known)
        found |= items
        if not nullable:
            return found, False
    return found, True


def _first_of(op: Any, value: Any, known: dict[int, Start]) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return _placeholder(value, known) if value in known else ({re.escape(chr(value))}, False)
    if op is sre.IN:
        return _class_items(value, known)
    if op is sre.SUBPATTERN:
        return _first(list(value[-1]), known)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first(list(value), known)
    if op is sre.BRANCH:
        found: set[str] = set()
        nullable = False
        for branch in value[1]:
            items, empty = _first(list(branch), known)
            found |= items
            nullable = nullable or empty
        return found, nullable
    if op in _REPEATS:
        low, _, body = value
        items, empty = _first(list(body), known)
        return items, empty or low == 0
    raise _Unknown(op)


def _placeholder(value: int, known: dict[int, Start]) -> tuple[set[str], bool]:
    start = known[value]
    if start is None:
        raise _Unknown(value)
    return set(start[0]), start[1]


def _class_items(
    members: list[tuple[Any, Any]], known: dict[int, Start]
) -> tuple[set[str], bool]:
    """The items of a class. Placeholders may stand in one (alternatives of one character
    each are parsed as a class): each brings its group's items, and may make it nullable."""
    items: set[str] = set()
    nullable = False
    for op, value in members:
        if op is sre.LITERAL and value in known:
            found, empty = _placeholder(value, known)
            items |= found
            nullable = nullable or empty
        elif op is sre.LITERAL:
            items.add(re.escape(chr(value)))
        elif op is sre.RANGE:
            low, high = value
            items.add(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is sre.CATEGORY and value in _CATEGORIES:
            items.add(_CATEGORIES[value])
        else:  # a negated class, a compiled charset: not worth listing
            raise _Unknown(op)
    return items, nullable
