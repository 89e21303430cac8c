"""What the matches of a regular expression start with, worked out from its parsed pattern.

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
_ATOMIC = getattr(sre, "ATOMIC_GROUP", None)
# Past this many prefixes (or folded keys of one prefix) a pattern is looked at less deeply.
_MOST = 4096

# (atoms, ended): the first letters of a match, one regex atom each; ``ended`` when the
# match may end right after them (else, shorter than asked, whatever follows is unknown).
_Head = tuple[tuple[str, ...], bool]


class _Unknown(Exception):
    """The start of this pattern cannot be listed."""


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


def _parsed(regex: re.Pattern[str]) -> Parsed:
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
    if op is _ATOMIC:
        return op, _filled(value, groups)
    if op is sre.BRANCH:
        return op, (value[0], [_filled(branch, groups) for branch in value[1]])
    if op in _REPEATS:
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
        items, nullable = _first(parsed)
    except (_Unknown, re.error, TypeError, ValueError):
        return set()
    return set() if nullable else items


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
    if op is _ATOMIC:
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


# -- first few letters ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Prefixes:
    """The first letters of a pattern's matches: regex atoms, and the same folded to keys
    (a key shorter than asked: the match may be that short, or what follows is unknown).
    ``word_start``: every match starts where no word letter stands before it."""

    atoms: frozenset[tuple[str, ...]]
    keys: frozenset[str]
    word_start: bool


def prefixes(regex: re.Pattern[str], depth: int, parsed: Parsed | None = None) -> Prefixes | None:
    """The first ``depth`` letters (at most) of every match, or None if they cannot be
    listed (among them: a pattern that can match the empty string). ``parsed``: the
    pattern's parse where known (``parse_filled``), else it is parsed here.

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
            heads = _heads(parsed, depth)
            if any(not atoms for atoms, _ in heads):
                return None
            keys = {key for atoms, _ in heads for key in _keys(atoms, flags)}
        except _TooMany:
            depth //= 2
            continue
        except _Unknown:
            return None
        starts = frozenset(atoms for atoms, _ in heads)
        return Prefixes(starts, frozenset(keys), _word_start(parsed))
    return None


class _TooMany(Exception):
    """More prefixes than are worth listing at this depth."""


def _heads(sequence: list[tuple[Any, Any]], room: int) -> set[_Head]:
    """The first ``room`` letters of the matches of ``sequence`` (see ``_Head``)."""
    done: set[_Head] = set()
    going: set[_Head] = {((), True)}
    for op, value in sequence:
        following: set[_Head] = set()
        tails: dict[int, set[_Head]] = {}  # the item's heads by the room left: worked out once
        for atoms, ended in going:
            if not ended or len(atoms) >= room:
                done.add((atoms, ended))
                continue
            left = room - len(atoms)
            if left not in tails:
                tails[left] = _heads_of(op, value, left)
            for more, more_ended in tails[left]:
                following.add((atoms + more, more_ended))
        if len(following) + len(done) > _MOST:
            raise _TooMany
        going = following
    return done | going


def _heads_of(op: Any, value: Any, room: int) -> set[_Head]:
    if op in _ZERO_WIDTH:
        return {((), True)}
    if op is sre.LITERAL:
        return {((re.escape(chr(value)),), True)}
    if op is sre.IN:
        try:
            return {((f"[{''.join(sorted(_class_items(value)))}]",), True)}
        except _Unknown:
            return {((), False)}
    if op is sre.SUBPATTERN:
        return _heads(list(value[-1]), room)
    if op is _ATOMIC:
        return _heads(list(value), room)
    if op is sre.BRANCH:
        return {head for branch in value[1] for head in _heads(list(branch), room)}
    if op in _REPEATS:
        low, high, body = value
        top = min(high, room)
        found: set[_Head] = set()
        for times in range(min(low, room), top + 1):
            for atoms, ended in _heads(list(body) * times, room):
                # past ``top`` repeats the match may go on: what follows is unknown
                found.add((atoms, ended and not (times == top < high)))
        return found
    return {((), False)}  # ".", a negated letter, a back-reference: unknown from here


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


_FOLDED: dict[tuple[str, int], list[str]] = {}


def _folded(atom: str, flags: int) -> list[str]:
    """The folded ASCII letters one atom matches (a non-ASCII text is never looked up)."""
    found = _FOLDED.get((atom, flags))
    if found is None:
        regex = re.compile(atom, flags)
        found = sorted({_fold_char(chr(code)) for code in range(128) if regex.fullmatch(chr(code))})
        _FOLDED[(atom, flags)] = found
    return found


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
