"""What the matches of a parsed regular expression start with: one walk over its items.

``heads`` lists the first few atoms of every match of a parse (``re._parser`` items), as
its callers render them: ``scan_prefix`` (the first letters and prefixes that
``scan.quick_start`` and ``scan.MultiScan`` look for) and ``guarded`` (the look-ahead put in
front of the amount and change patterns). A ``Reading`` holds what differs between them:
how a one-character item is written as an atom, and how strictly the walk treats what it
cannot list. Zero-width items (``\\b``, look-arounds) are skipped, so the lists may hold
more than the matches can start with, never less.

The module also keeps what both callers know about ``re.IGNORECASE``: which characters an
atom matches among ASCII and the few characters beyond it that fold into ASCII letters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from typing import Any, Generic, TypeVar

CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
ATOMIC = getattr(sre, "ATOMIC_GROUP", None)
# The characters beyond ASCII that ``re.IGNORECASE`` matches with an ASCII letter: the
# dotted capital I, the dotless i, the long s and the Kelvin sign (a test tries them all).
FOLDING_INTO_ASCII = "\u0130\u0131\u017f\u212a"
# The characters whose matching ``matched`` works out: ASCII, then those folding into it.
_CHARACTERS = "".join(map(chr, range(128))) + FOLDING_INTO_ASCII

Item = tuple[Any, Any]
A = TypeVar("A")
# (atoms, ended): the first atoms of a match; ``ended`` when the match may end right after
# them (else, shorter than asked, whatever follows is unknown).
Head = tuple[tuple[A, ...], bool]


class Unknown(Exception):
    """The start of this pattern cannot be listed."""


class TooMany(Exception):
    """More starts than are worth listing at this depth."""


@dataclass(frozen=True, slots=True)
class Reading(Generic[A]):
    """How ``heads`` reads a parse for one caller.

    ``atom(op, value, folded)``: a one-character item (``folded``: under ``re.IGNORECASE``)
    as an atom, None where it cannot be listed. ``strict``: what cannot be listed (an item
    ``atom`` refuses, a back-reference, an atomic group, a group setting flags other than
    ``i``, a repeat of what may be empty) raises ``Unknown``; otherwise a head ends there
    unfinished. ``most``: past this many heads at one step ``TooMany`` is raised."""

    atom: Callable[[Any, Any, bool], A | None]
    strict: bool = False
    most: int = 4096
    memo: dict[tuple[int, int, bool], tuple[Any, set[Head[A]]]] | None = None
    """Where given, the heads of each group's body once walked, by the body's identity and
    the room left: parses put together from shared parts (``scan_prefix.parse_filled``)
    then walk each part once. It holds the bodies, so no identity is reused meanwhile."""


def heads(
    items: Iterable[Item], room: int, reading: Reading[A], folded: bool = False
) -> set[Head[A]]:
    """The first ``room`` atoms (at most) of the matches of ``items`` (see ``Head``);
    ``folded``: the items match under ``re.IGNORECASE``.

    >>> from re import _parser
    >>> letters = Reading(lambda op, value, folded: chr(value) if op is sre.LITERAL else None)
    >>> sorted(heads(_parser.parse(r"\\bab|c+"), 2, letters))
    [(('a', 'b'), True), (('c',), True), (('c', 'c'), False)]
    """
    done: set[Head[A]] = set()
    going: set[Head[A]] = {((), True)}
    for op, value in items:
        following: set[Head[A]] = set()
        tails: dict[int, set[Head[A]]] = {}  # the item's heads by the room left: worked out once
        for atoms, ended in going:
            if not ended or len(atoms) >= room:
                done.add((atoms, ended))
                continue
            left = room - len(atoms)
            if left not in tails:
                tails[left] = _item_heads(op, value, left, reading, folded)
            for more, more_ended in tails[left]:
                following.add((atoms + more, more_ended))
        if len(following) + len(done) > reading.most:
            raise TooMany
        going = following
    return done | going


def _item_heads(op: Any, value: Any, room: int, reading: Reading[A], folded: bool) -> set[Head[A]]:
    if op in ZERO_WIDTH:
        return {((), True)}
    if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
        atom = reading.atom(op, value, folded)
        if atom is not None:
            return {((atom,), True)}
    elif op is sre.SUBPATTERN:
        return _body_heads(value[-1], room, reading, _group_folding(value, reading, folded))
    elif op is ATOMIC and not reading.strict:
        return heads(value, room, reading, folded)
    elif op is sre.BRANCH:
        return {head for branch in value[1] for head in heads(branch, room, reading, folded)}
    elif op in REPEATS:
        return _repeat_heads(value, room, reading, folded)
    if reading.strict:
        raise Unknown(op)
    return {((), False)}  # ".", a negated letter, a back-reference: unknown from here


def _body_heads(body: Any, room: int, reading: Reading[A], folded: bool) -> set[Head[A]]:
    """``heads`` of a group's body, looked up in ``reading.memo`` where there is one."""
    memo = reading.memo
    if memo is None:
        return heads(body, room, reading, folded)
    key = (id(body), room, folded)
    known = memo.get(key)
    if known is None:
        known = memo[key] = (body, heads(body, room, reading, folded))
    return known[1]


def _group_folding(value: Any, reading: Reading[A], folded: bool) -> bool:
    """Whether the body of a group matches under ``re.IGNORECASE``."""
    _, add, remove, _ = value
    if not (add | remove):
        return folded
    if reading.strict and (add | remove) & ~re.IGNORECASE:
        raise Unknown("flags")
    return bool(add & re.IGNORECASE)


def _repeat_heads(value: Any, room: int, reading: Reading[A], folded: bool) -> set[Head[A]]:
    low, high, body = value
    if reading.strict and any(not atoms for atoms, _ in heads(body, room, reading, folded)):
        raise Unknown("empty repeat")
    top = min(high, room)
    found: set[Head[A]] = set()
    for times in range(min(low, room), top + 1):
        for atoms, ended in heads(list(body) * times, room, reading, folded):
            # past ``top`` repeats the match may go on: what follows is unknown
            found.add((atoms, ended and not (times == top < high)))
    return found


def class_items(members: Iterable[Item]) -> tuple[str, list[str]] | None:
    """A class's ``^`` if negated (else ""), and the source of each member in turn; None
    when a member cannot be written (a compiled charset)."""
    negate = ""
    items: list[str] = []
    for op, value in members:
        if op is sre.NEGATE:
            negate = "^"
        elif op is sre.LITERAL:
            items.append(re.escape(chr(value)))
        elif op is sre.RANGE:
            low, high = value
            items.append(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is sre.CATEGORY and value in CATEGORIES:
            items.append(CATEGORIES[value])
        else:
            return None
    return negate, items


@cache
def matched(atom: str, flags: int) -> str:
    """The characters among ASCII and ``FOLDING_INTO_ASCII`` that the regex ``atom``
    matches, in that order (a text beyond them is never looked up).

    >>> matched("k", re.IGNORECASE), matched("[0-2]", 0)
    ('Kk\u212a', '012')
    """
    regex = re.compile(atom, flags)
    return "".join(char for char in _CHARACTERS if regex.fullmatch(char))
