"""Compile a case-insensitive pattern behind a look-ahead at its first characters.

Python's ``re`` tries a pattern at every position of the text. Under ``re.IGNORECASE`` it
cannot skip a branch by its first letter, so each of the hundreds of branches of the amount
and change grammar (qualifiers, number words, currency names) is entered at every word.
``guarded`` puts a look-ahead right after the pattern's leading look-behinds, listing the
first ``GUARD_WIDTH`` characters a match can start with as case-sensitive classes merged
by common prefix: at most words it fails on its first character, where ``re`` skips a
branch without entering it.

The look-ahead only ever lets more through than the pattern: each of its classes holds every
form of an ASCII letter (both cases, and the few characters beyond ASCII that fold into
it), or is the pattern's own case-insensitive class, and it ignores assertions. So the
guarded pattern matches exactly where and what the original matches, in any text. A pattern
the listing does not understand is compiled as written.

>>> pattern = guarded(r"(?<!\\w)(?:about\\s+)?\\d+%", re.IGNORECASE)
>>> [m.group() for m in pattern.finditer("ABOUT 5% and 7%, about 9")]
['ABOUT 5%', '7%']
>>> pattern.search("Ab0ut 5%").group()
'5%'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# Characters a match must start with, read this far into the pattern for the look-ahead.
GUARD_WIDTH = 3
# Beyond this many listed beginnings the look-ahead would cost more than it saves.
_LIMIT = 2000

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
# The characters beyond ASCII that ``re.IGNORECASE`` matches with an ASCII letter: the
# dotted capital I, the dotless i, the long s and the Kelvin sign (a test tries them all).
FOLDING_INTO_ASCII = "\u0130\u0131\u017f\u212a"

Item = tuple[Any, Any]
Start = tuple[str, ...]


class _Unknown(Exception):
    """The first characters of this construct cannot be listed."""


def lower_case(text: str) -> str | None:
    """``text`` in lower case, to look for ASCII words in the way ``re.IGNORECASE`` does;
    None when a character of it folds into an ASCII letter in another way.

    >>> lower_case("Tripled"), lower_case("\u212aazakh")
    ('tripled', None)
    """
    if not text.isascii() and any(char in text for char in FOLDING_INTO_ASCII):
        return None
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def guarded(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, behind a look-ahead at its first characters when the
    pattern opens with look-behinds (elsewhere the look-ahead, tried at every position, costs
    more than it saves). The pattern is parsed once and compiled from the parsed form, so a
    guarded pattern's ``pattern`` is None. The flags go in as a plain number, as
    ``re.compile`` passes them on (``re.IGNORECASE & x`` in the compiler's inner loop, the
    enum's own operator, costs far more than the same on an int)."""
    flags = int(flags)
    try:
        tree = sre_parse.parse(source, flags)
        items = list(tree.data)
        lead = 0
        while lead < len(items) and items[lead][0] in _ZERO_WIDTH:
            lead += 1
        if not lead:
            return re.compile(source, flags)
        starts = _starts(items[lead:], GUARD_WIDTH, folded=bool(flags & re.IGNORECASE))
        if () in starts:
            return re.compile(source, flags)  # a match may be empty: nothing to require
        guard = list(sre_parse.parse(f"(?-i:(?={_trie(starts)}))", flags))
        tree.data = items[:lead] + guard + items[lead:]
        compiled: re.Pattern[str] = sre_compile.compile(tree, flags)
    except (_Unknown, re.error, RecursionError):
        return re.compile(source, flags)
    return compiled


def _exact(op: Any, value: Any) -> str:
    """The source of one character matcher, as written."""
    if op is sre.LITERAL:
        return re.escape(chr(value))
    if op is sre.NOT_LITERAL:
        return "[^" + re.escape(chr(value)) + "]"
    if op is sre.ANY:
        return "."
    if op is sre.IN:
        return _class(value)
    raise _Unknown(op)


def _class(members: Iterable[Item], extra: str = "") -> str:
    parts = []
    negate = ""
    for op, value in members:
        if op is sre.NEGATE:
            negate = "^"
        elif op is sre.LITERAL:
            parts.append(re.escape(chr(value)))
        elif op is sre.RANGE:
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif op is sre.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            raise _Unknown(op)
    return f"[{negate}{''.join(parts)}{extra}]"


def _cased(char: str) -> bool:
    return char.lower() != char or char.upper() != char


def _loose(op: Any, value: Any) -> str:
    """A case-sensitive class holding every character that ``op`` matches case-insensitively:
    both cases of its ASCII letters and everything beyond ASCII, or else the matcher itself
    under ``(?i:)`` (a negated class or a category beside letters, a letter beyond ASCII)."""
    exact = _exact(op, value)
    if op is sre.ANY:
        return exact
    if op is sre.NOT_LITERAL:
        return f"(?i:{exact})" if _cased(chr(value)) else exact
    members = [(sre.LITERAL, value)] if op is sre.LITERAL else list(value)
    letters: list[str] = []
    for member, argument in members:
        if member is sre.LITERAL:
            letters.extend(filter(_cased, chr(argument)))
        elif member is sre.RANGE:
            low, high = argument
            if high - low > 0x400:
                return f"(?i:{exact})"
            letters.extend(c for c in map(chr, range(low, high + 1)) if _cased(c))
    if not letters:
        return exact  # no letter: ``re`` matches it as written
    plain = all(member[0] in (sre.LITERAL, sre.RANGE) for member in members)
    if not plain or not all(letter.isascii() for letter in letters):
        return f"(?i:{exact})"
    return _class(members, "".join(_other_forms(letter) for letter in letters))


@cache
def _other_forms(letter: str) -> str:
    """The other characters ``re.IGNORECASE`` matches with an ASCII letter, escaped.

    >>> _other_forms("a"), _other_forms("K")
    ('A', 'k\u212a')
    """
    others = [letter.swapcase()] + [
        char for char in FOLDING_INTO_ASCII if re.fullmatch(letter, char, re.IGNORECASE)
    ]
    return "".join(map(re.escape, others))


def _starts(items: Iterable[Item], width: int, *, folded: bool) -> set[Start]:
    """The first ``width`` characters of every match of ``items``, as case-sensitive class
    sources; a shorter tuple is a whole match. Assertions are skipped (that lets more in)."""
    found: set[Start] = {()}
    for op, value in items:
        if all(len(start) >= width for start in found):
            break
        if op in _ZERO_WIDTH:
            continue
        tails = _item_starts(op, value, width, folded=folded)
        found = {
            (start + tail)[:width] if len(start) < width else start
            for start in found
            for tail in tails
        }
        if len(found) > _LIMIT:
            raise _Unknown("too many")
    return found


def _item_starts(op: Any, value: Any, width: int, *, folded: bool) -> set[Start]:
    if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
        return {(_loose(op, value) if folded else _exact(op, value),)}
    if op is sre.BRANCH:
        return {start for branch in value[1] for start in _starts(branch, width, folded=folded)}
    if op is sre.SUBPATTERN:
        _, add, remove, body = value
        if (add | remove) & ~re.IGNORECASE:
            raise _Unknown("flags")
        inner = folded if not (add | remove) else bool(add)
        return _starts(body, width, folded=inner)
    if op in _REPEATS:
        return _repeat_starts(value, width, folded=folded)
    raise _Unknown(op)


def _repeat_starts(value: Any, width: int, *, folded: bool) -> set[Start]:
    low, high, body = value
    once = _starts(body, width, folded=folded)
    if () in once:
        raise _Unknown("empty repeat")
    found: set[Start] = {()} if low == 0 else set()
    current: set[Start] = {()}
    count = 0
    while current and count < min(high, width):
        count += 1
        grown = {(start + tail)[:width] for start in current for tail in once}
        # a start already this long stands for every longer repetition
        found |= {start for start in grown if len(start) >= width or count >= low}
        current = {start for start in grown if len(start) < width}
        if len(found) > _LIMIT:
            raise _Unknown("too many")
    return found


def _trie(starts: set[Start]) -> str:
    """Alternatives merged by common prefix; a start that ends accepts whatever follows."""
    tree: dict[str, Any] = {}
    for start in sorted(starts, key=len):
        node = tree
        for atom in start:
            if node.get("") is True:
                break
            node = node.setdefault(atom, {})
        else:
            node.clear()
            node[""] = True

    def render(node: dict[str, Any]) -> str:
        if node.get("") is True:
            return ""
        branches = [atom + render(child) for atom, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(tree)
