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
guarded pattern matches exactly where and what the original matches, in any text. The
listing is the walk of ``pattern_starts.heads``, read strictly: a pattern it does not
understand is compiled as written.

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

from kzaz_facts.pattern_starts import (
    FOLDING_INTO_ASCII,
    ZERO_WIDTH,
    Item,
    Reading,
    TooMany,
    Unknown,
    class_items,
    heads,
    matched,
)

__all__ = ["FOLDING_INTO_ASCII", "GUARD_WIDTH", "guarded", "lower_case"]

# Characters a match must start with, read this far into the pattern for the look-ahead.
GUARD_WIDTH = 3
# Beyond this many listed beginnings the look-ahead would cost more than it saves.
_LIMIT = 2000

Start = tuple[str, ...]


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
        while lead < len(items) and items[lead][0] in ZERO_WIDTH:
            lead += 1
        if not lead:
            return re.compile(source, flags)
        found = heads(items[lead:], GUARD_WIDTH, _GUARD, bool(flags & re.IGNORECASE))
        starts = {atoms for atoms, _ in found}
        if () in starts:
            return re.compile(source, flags)  # a match may be empty: nothing to require
        guard = list(sre_parse.parse(f"(?-i:(?={_trie(starts)}))", flags))
        tree.data = items[:lead] + guard + items[lead:]
        compiled: re.Pattern[str] = sre_compile.compile(tree, flags)
    except (Unknown, TooMany, re.error, RecursionError):
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
    raise Unknown(op)


def _class(members: Iterable[Item], extra: str = "") -> str:
    written = class_items(members)
    if written is None:
        raise Unknown(sre.IN)
    negate, items = written
    return f"[{negate}{''.join(items)}{extra}]"


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
    return "".join(re.escape(char) for char in matched(letter, re.IGNORECASE) if char != letter)


def _guard_atom(op: Any, value: Any, folded: bool) -> str | None:
    """One character matcher as a case-sensitive class (``_loose``) where ``folded``,
    else as written; None where it cannot be written."""
    try:
        return _loose(op, value) if folded else _exact(op, value)
    except Unknown:
        return None


# Strict: a pattern whose start cannot be listed is compiled as written.
_GUARD: Reading[str] = Reading(_guard_atom, strict=True, most=_LIMIT)


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
