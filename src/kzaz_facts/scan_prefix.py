"""What the matches of a regular expression start with, for the scans of ``scan.py``.

The walk over the parse is ``pattern_starts.heads``; this module reads it for ``scan.py``:
``first_letters`` lists the class items a match's first letter is among (for
``scan.quick_start``); ``prefixes`` lists its first few letters (for ``scan.MultiScan``),
both as regex atoms and folded to plain keys: ASCII letters in lower case, every digit
"0", every space " ". Zero-width parts (``\\b``, look-arounds) are skipped, so the lists
may hold more than the matches can start with, never less. Where a pattern's start cannot
be listed (``.``, a negated class, a back-reference, a match that may be empty), there is
no list and the caller keeps the pattern as it is.

Parsing a long pattern costs about as much as compiling it: ``parse_filled`` parses a
template once its parts are parsed (each part once, however many templates use it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Protocol

from kzaz_facts.pattern_starts import (
    ATOMIC,
    REPEATS,
    Reading,
    TooMany,
    class_items,
    heads,
    matched,
)

# Past this many prefixes (or folded keys of one prefix) a pattern is looked at less deeply.
_MOST = 4096


def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    return "0" if char.isdigit() else char.lower()


_FOLD = str.maketrans({chr(code): _fold_char(chr(code)) for code in range(128)})


def fold_text(text: str) -> str:
    """ASCII ``text`` as the keys of ``prefixes`` spell it.

    >>> fold_text("In 2023\\tQ3")
    'in 0000 q0'
    """
    return text.translate(_FOLD)


# A parsed pattern: its items, as ``re``'s parser gives them.
Parsed = list[tuple[Any, Any]]


class Written(Protocol):
    """A regex as written: a compiled pattern, or one to be compiled (``scan.LazyPattern``)."""

    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...


def _parsed(regex: Written) -> Parsed:
    return list(sre_parse.parse(regex.pattern, regex.flags))


def parse(pattern: str, flags: int) -> Parsed:
    """``pattern`` parsed as ``re.compile(pattern, flags)`` parses it (flags as a number)."""
    return list(sre_parse.parse(pattern, int(flags)))


def parse_filled(template: str, parts: Mapping[str, Parsed], flags: int) -> Parsed | None:
    r"""The parse of ``template`` with each empty group ``(?P<name>)`` named in ``parts``
    replaced by that part's items, as in ``(?:...)`` around the part's text; None if the
    template does not parse. It stands for the same pattern, though the parser, given the
    whole text, may write it otherwise (a one-letter part in a ``|`` of letters becomes one
    class with them): ``tests/test_scan.py`` holds the period rules to the whole parse.

    >>> filled = parse_filled(r"(?<!\w)(?P<p0>)\s+20", {"p0": parse("Q[1-4]", re.I)}, re.I)
    >>> sorted(prefixes(re.compile(r"(?<!\w)Q[1-4]\s+20", re.I), 4, filled).keys)
    ['q0  ', 'q0 0']
    """
    try:
        parsed = sre_parse.parse(template, int(flags))
    except (re.error, TypeError, ValueError):
        return None
    named = parsed.state.groupdict
    groups = {named[name]: part for name, part in parts.items() if name in named}
    return _filled(list(parsed), groups)


def _filled(sequence: Any, groups: dict[int, Parsed]) -> Parsed:
    return [_filled_item(op, value, groups) for op, value in sequence]


def _filled_item(op: Any, value: Any, groups: dict[int, Parsed]) -> tuple[Any, Any]:
    if op is sre.SUBPATTERN:
        group, add_flags, del_flags, body = value
        if group in groups:
            return op, (None, 0, 0, groups[group])
        return op, (group, add_flags, del_flags, _filled(body, groups))
    if op is ATOMIC:
        return op, _filled(value, groups)
    if op is sre.BRANCH:
        return op, (value[0], [_filled(branch, groups) for branch in value[1]])
    if op in REPEATS:
        low, high, body = value
        return op, (low, high, _filled(body, groups))
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return op, (value[0], _filled(value[1], groups))
    if op is sre.GROUPREF_EXISTS:
        group, yes, no = value
        return op, (group, _filled(yes, groups), None if no is None else _filled(no, groups))
    return op, value


def alternates_at_top(pattern: str) -> bool:
    r"""Whether ``pattern`` has a ``|`` outside its groups and classes (so it cannot be put
    into a longer pattern as it is and parse as one group).

    >>> alternates_at_top(r"a(?:b|c)[|]\|"), alternates_at_top(r"(a)|b")
    (False, True)
    """
    depth = 0
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 1
        elif char == "[":
            at = _class_end(pattern, at)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        at += 1
    return False


def _class_end(pattern: str, at: int) -> int:
    """Where the class opening at ``at`` closes (its ``]``)."""
    at += 1
    if pattern[at : at + 1] == "^":
        at += 1
    if pattern[at : at + 1] == "]":
        at += 1  # a "]" first in the class is a letter
    while at < len(pattern) and pattern[at] != "]":
        at += 2 if pattern[at] == "\\" else 1
    return at


# -- first letters --------------------------------------------------------------------------
def first_letters(regex: re.Pattern[str] | str, flags: int = 0) -> set[str]:
    """The class items a match of ``regex`` (or of a pattern's source, with ``flags``) can
    start with; empty when unknown.

    >>> sorted(first_letters(re.compile(r"(?:about\\s+)?\\d+%")))
    ['\\\\d', 'a']
    >>> sorted(first_letters(r"x|[1-3]", re.I))
    ['1-3', 'x']
    """
    try:
        parsed = parse(regex, flags) if isinstance(regex, str) else _parsed(regex)
        found = heads(parsed, 1, _FIRST)
    except (TooMany, re.error, TypeError, ValueError):
        return set()
    if any(not atoms for atoms, _ in found):
        return set()  # a match may be empty, or its start is unknown
    return {item for atoms, _ in found for item in atoms[0]}


def _first_items(op: Any, value: Any, folded: bool) -> frozenset[str] | None:
    """A one-letter item as its class items (a letter, a range, a category)."""
    if op is sre.LITERAL:
        return frozenset([re.escape(chr(value))])
    written = class_items(value) if op is sre.IN else None
    if written is None or written[0]:
        return None  # a negated class, a compiled charset: not worth listing
    return frozenset(written[1])


_FIRST = Reading(_first_items, most=1 << 62)


# -- first few letters ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Prefixes:
    """The first letters of a pattern's matches: regex atoms, and the same folded to keys
    (a key shorter than asked: the match may be that short, or what follows is unknown).
    ``word_start``: every match starts where no word letter stands before it."""

    atoms: frozenset[tuple[str, ...]]
    keys: frozenset[str]
    word_start: bool


def prefixes(
    regex: Written, depth: int, parsed: Parsed | None = None, memo: Memo | None = None
) -> Prefixes | None:
    """The first ``depth`` letters (at most) of every match, or None if they cannot be
    listed (among them: a pattern that can match the empty string). ``parsed``: the
    pattern's parse where known (``parse_filled``), else it is parsed here. ``memo``: one
    dict kept over several calls whose parses share parts (``Reading.memo``).

    >>> found = prefixes(re.compile(r"(?<!\\w)(?:Q[1-4]|H[12])(?: ?20\\d\\d)?", re.I), 4)
    >>> sorted(found.keys), found.word_start
    (['h0', 'h0 0', 'h000', 'q0', 'q0 0', 'q000'], True)
    """
    if parsed is None:
        try:
            parsed = _parsed(regex)
        except (re.error, TypeError, ValueError):
            return None
    flags = re.IGNORECASE | (regex.flags & re.ASCII)
    while depth > 0:
        try:
            found = heads(parsed, depth, _PREFIX if memo is None else replace(_PREFIX, memo=memo))
            if any(not atoms for atoms, _ in found):
                return None
            keys = {key for atoms, _ in found for key in _keys(atoms, flags)}
        except TooMany:
            depth //= 2
            continue
        starts = frozenset(atoms for atoms, _ in found)
        return Prefixes(starts, frozenset(keys), _word_start(parsed))
    return None


def _prefix_atom(op: Any, value: Any, folded: bool) -> str | None:
    """A letter as itself, a class as its items in order; None where unknown."""
    if op is sre.LITERAL:
        return re.escape(chr(value))
    written = class_items(value) if op is sre.IN else None
    if written is None or written[0]:
        return None
    return f"[{''.join(sorted(set(written[1])))}]"


_PREFIX = Reading(_prefix_atom, most=_MOST)
Memo = dict[tuple[int, int, bool], tuple[Any, set[tuple[tuple[str, ...], bool]]]]


def _keys(atoms: tuple[str, ...], flags: int) -> set[str]:
    """``atoms`` folded (``fold_text``): every ASCII spelling they match, cut short where
    the spellings would be too many."""
    letters: list[list[str]] = []
    count = 1
    for atom in atoms:
        folded = _folded(atom, flags)
        if count * len(folded) > _MOST:
            break
        count *= len(folded)
        letters.append(folded)
    return {"".join(spelling) for spelling in itertools.product(*letters)}


@cache
def _folded(atom: str, flags: int) -> list[str]:
    """The folded ASCII letters one atom matches (a non-ASCII text is never looked up)."""
    return sorted({_fold_char(char) for char in matched(atom, flags) if char.isascii()})


def _word_start(sequence: list[tuple[Any, Any]]) -> bool:
    """Whether the pattern opens with ``(?<!\\w)`` (after look-aheads, inside groups)."""
    for op, value in sequence:
        if op is sre.ASSERT and value[0] == 1:
            continue  # a look-ahead: the position does not move
        if op is sre.ASSERT_NOT and value[0] == -1:
            return list(value[1]) == [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_WORD)])]
        if op is sre.SUBPATTERN and not value[1] and not value[2]:
            return _word_start(list(value[-1]))
        return False
    return False
