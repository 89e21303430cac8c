"""Word lists -> regular expressions.

Every word list of ``data/`` becomes a regex here and nowhere else:

* ``phrase_pattern`` / ``compile_phrases``: trigger phrases, bounded on words, ``export*``
  matching any ending, longest first (``lexicon.py``);
* ``alternation`` / ``bare_alternation``: vocabularies merged by common prefix into one group,
  the longest phrase winning (the amount and change grammar);
* ``longest_first``: escaped alternatives, longest first, with no bounds of their own (period
  slots, header dates, titles).

A phrase list is compiled behind the look-ahead of ``look_ahead.py``, which makes it fast
to scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kzaz_facts.look_ahead import compile_quick

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
