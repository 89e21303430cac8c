"""Word lists -> regular expressions, and faster scanning with the same matches.

Every word list of ``data/`` becomes a regex here and nowhere else:

* ``phrase_pattern`` / ``compile_phrases``: trigger phrases, bounded on words, ``export*``
  matching any ending, longest first (``lexicon.py``);
* ``alternation`` / ``bare_alternation``: vocabularies merged by common prefix into one group,
  the longest phrase winning (the amount and change grammar);
* ``longest_first``: escaped alternatives, longest first, with no bounds of their own (period
  slots, header dates, titles).

The look-ahead:

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
from collections.abc import Iterable
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


def compile_quick(source: str, flags: int = 0) -> re.Pattern[str]:
    """``quick_start(re.compile(source, flags))`` for half the work: ``source`` is parsed once
    for its first letters and the pattern compiled once. A bad ``source`` raises ``re.error``.

    >>> compile_quick(r"(?:about\\s+)?\\d+%", re.I).pattern
    '(?=[\\\\da])(?:(?:about\\\\s+)?\\\\d+%)'
    """
    return re.compile(quick_source(source, flags), flags)


def quick_source(source: str, flags: int = 0) -> str:
    """The source of ``quick_start``'s pattern: ``source`` behind the look-ahead, or ``source``
    itself when its first letters cannot be listed. A bad ``source`` raises ``re.error``."""
    if not flags & re.IGNORECASE and "(?i" in source:
        return source  # letters folded inside but not outside: keep it simple, leave it
    try:
        items, nullable = _first(list(sre_parse.parse(source, flags)))
    except (_Unknown, TypeError, ValueError):
        return source
    if nullable or not items:
        return source
    return f"(?=[{''.join(sorted(items))}])(?:{source})"


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


# -- word lists to regexes ----------------------------------------------------------------


def phrase_pattern(phrase: str) -> str:
    r"""The regex source for one phrase.

    >>> phrase_pattern("export*")
    '\\bexport\\w*'
    >>> phrase_pattern("supply of goods")
    '\\bsupply\\s+of\\s+goods\\b'
    """
    words = []
    for word in phrase.split():
        if word.endswith("*"):
            words.append(re.escape(word[:-1]) + r"\w*")
        else:
            words.append(re.escape(word))
    source = r"\s+".join(words)
    tail = "" if phrase.endswith("*") else r"\b"
    head = r"\b" if phrase[:1].isalnum() else ""
    return head + source + tail


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """One alternation for all phrases, longest first so "trade turnover" beats "trade".

    >>> compile_phrases(["trade", "trade turnover"]).findall("Trade turnover and trade")
    ['Trade turnover', 'trade']
    """
    unique = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    if not unique:
        return re.compile(r"(?!x)x")
    body = "|".join(phrase_pattern(phrase) for phrase in unique)
    return compile_quick(body, re.IGNORECASE)


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


def longest_first(words: Iterable[str], space: str | None = None) -> str:
    r"""Escaped alternatives, longest first so "Sept" is tried before "Sep".

    ``space``, when given, is the regex for the space between the words of a phrase.

    >>> longest_first(["Sep", "Sept", "vs."])
    'Sept|Sep|vs\\.'
    >>> longest_first(["up to", "by"], space=r"[ \t]+")
    'up[ \\t]+to|by'
    """
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    if space is None:
        return "|".join(re.escape(word) for word in ordered)
    return "|".join(space.join(re.escape(part) for part in word.split()) for word in ordered)
