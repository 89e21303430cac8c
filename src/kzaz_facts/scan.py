"""Word lists -> regular expressions, and faster scanning with the same matches.

Every word list of ``data/`` becomes a regex through ``words_pattern`` and nowhere else.
The phrases are merged by common prefix into one group, so the engine tests one letter per
branch point instead of every phrase in turn, and at any position the longest phrase wins
("trade turnover" over "trade", "Sept" over "Sep"). A space matches any run of white space
(or ``space``); a word ending in ``*`` matches any ending (``export*``: exports, exported);
a phrase starting or ending with a letter or digit is bounded there by ``\\b`` (unless
``bounded=False``, for compounds written solid: "threefold", "1bn"). The group matches in
any case (or only as written, ``case_sensitive``) wherever it is put. ``compile_words``
compiles one list on its own, behind ``quick_start``.

Scanning faster (``scan_prefix.py`` works out what a pattern's matches start with):

* ``quick_start``: Python's ``re`` tries a pattern at every position of the text; for a long
  alternation with optional parts up front ("about", "some", a currency sign, a number
  word...) that costs the whole pattern at each position, although most positions hold a
  letter no match can start with. ``quick_start`` puts ``(?=[...])`` with those letters in
  front of the pattern, so such positions fail at once. Where the letters cannot be known
  (a pattern that may match the empty string, ``.``, a negated class), the pattern is left
  as it is.
* ``MultiScan``: many patterns over one text, with exactly the matches each pattern's own
  ``finditer`` gives, from one look for where any of them may start.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from kzaz_facts.guarded import guarded
from kzaz_facts.pattern_starts import FOLDING_INTO_ASCII
from kzaz_facts.scan_prefix import Memo, Parsed, Prefixes, first_letters, fold_text, prefixes

__all__ = [
    "LazyPattern",
    "MultiScan",
    "compile_cues",
    "compile_words",
    "key",
    "not_followed_by",
    "quick_start",
    "words_pattern",
]

# A word's "any ending": tried after the letters spelled out at the same place.
_ANY_ENDING = r"\w*"
# How many folded text starts a MultiScan remembers the candidates of.
_SEEN_MOST = 1 << 16


# -- word lists to regexes ----------------------------------------------------------------
@dataclass(slots=True)
class _Trie:
    children: dict[str, _Trie]
    tail: str | None = None


def words_pattern(
    phrases: Iterable[str],
    *,
    case_sensitive: bool = False,
    bounded: bool = True,
    space: str = r"\s+",
) -> str:
    r"""A group matching any of ``phrases``, the longest first, in any case unless
    ``case_sensitive`` (wherever the group is put).

    >>> words_pattern(["dollars", "US dollars", "dollar"])
    '(?i:\\b(?:dollar(?:s\\b|\\b)|us\\s+dollars\\b))'
    >>> words_pattern(["export*", "supply of goods", "+"], case_sensitive=True)
    '(?-i:\\b(?:export\\w*|supply\\s+of\\s+goods\\b)|\\+)'
    >>> words_pattern(["ten", "three", "thirteen"], bounded=False)
    '(?i:t(?:en|h(?:irteen|ree)))'
    >>> words_pattern(["up to", "by"], bounded=False, space=r"[ \t]+")
    '(?i:(?:by|up[ \\t]+to))'
    >>> re.fullmatch(words_pattern(["more than", "more"]), "More  than") is not None
    True
    >>> words_pattern([])
    '(?!)'
    """
    unique = _normalised(phrases, case_sensitive)
    worded = [phrase for phrase in unique if phrase[:1].isalnum()]
    other = [phrase for phrase in unique if not phrase[:1].isalnum()]
    head = r"\b" if bounded else ""
    branches = ([head + _trie(worded, bounded, space)] if worded else []) + (
        [_trie(other, bounded, space)] if other else []
    )
    if not branches:
        return "(?!)"
    return f"(?{'-' if case_sensitive else ''}i:{'|'.join(branches)})"


def _normalised(phrases: Iterable[str], case_sensitive: bool) -> set[str]:
    """The phrases as ``words_pattern`` spells them: single spaces, lower case unless
    ``case_sensitive``, none empty."""
    return {
        " ".join((phrase if case_sensitive else phrase.lower()).split())
        for phrase in phrases
        if phrase.strip()
    }


def compile_words(phrases: Iterable[str]) -> re.Pattern[str]:
    """``words_pattern`` compiled on its own, behind ``quick_start``. The letters a match
    starts with are the phrases' first characters, what ``first_letters`` reads off the
    regex (``tests/test_scan.py``), taken without parsing it.

    >>> compile_words(["trade", "trade turnover"]).findall("Trade turnover and trade")
    ['Trade turnover', 'trade']
    """
    listed = list(phrases)
    firsts = {_escaped(phrase[0]) for phrase in _normalised(listed, case_sensitive=False)}
    return re.compile(_behind(firsts, words_pattern(listed)), re.IGNORECASE)


def compile_cues(phrases: Iterable[str]) -> re.Pattern[str]:
    """``compile_words`` for a list only searched for (is any of them here?): where every
    phrase opens with a letter or digit, so that no match follows a word letter, behind
    ``(?<!\\w)`` and a look-ahead at its first three letters (``guarded``), which skips
    most words at once; the same places match.

    >>> cues = compile_cues(["signed", "tourist*"])
    >>> cues.search("They SIGNED it").group(), cues.search("Tourists came").group()
    ('SIGNED', 'Tourists')
    >>> cues.search("cosigned") is None
    True
    """
    listed = [phrase for phrase in phrases if phrase.strip()]
    if not listed or not all(phrase.strip()[0].isalnum() for phrase in listed):
        return compile_words(listed)
    return guarded(r"(?<!\w)" + words_pattern(listed), re.IGNORECASE)


def _atoms(phrase: str, space: str) -> list[str]:
    atoms: list[str] = []
    for index, word in enumerate(phrase.split()):
        if index:
            atoms.append(space)
        stem = word[:-1] if word.endswith("*") and len(word) > 1 else word
        atoms += map(_escaped, stem)
        if stem != word:
            atoms.append(_ANY_ENDING)
    return atoms


@cache
def _escaped(char: str) -> str:
    return re.escape(char)


def _trie(phrases: Iterable[str], bounded: bool, space: str) -> str:
    """Phrases merged by common prefix; a longer continuation is tried before a phrase ends."""
    root = _Trie({})
    for phrase in phrases:
        node = root
        for atom in _atoms(phrase, space):
            node = node.children.setdefault(atom, _Trie({}))
        node.tail = r"\b" if bounded and phrase[-1].isalnum() else ""
    return _render(root)


def _render(node: _Trie) -> str:
    chain: list[str] = []  # a run of nodes with one way on is written as it is, without recursion
    while node.tail is None and len(node.children) == 1:
        ((atom, node),) = node.children.items()
        chain.append(atom)
    ordered = sorted(node.children.items(), key=lambda item: (item[0] == _ANY_ENDING, item[0]))
    branches = [atom + _render(child) for atom, child in ordered]
    if node.tail is not None:
        branches.append(node.tail)
    rest = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "".join(chain) + rest


def not_followed_by(words: Iterable[str]) -> str:
    r"""A negative lookahead refusing the given next words (or characters, such as a hyphen).

    >>> not_followed_by(["tax", "-"])
    '(?!\\s+(?i:\\btax\\b)|\\s*(?i:\\-))'
    >>> not_followed_by([])
    ''
    """
    listed = [word for word in words if word.strip()]
    worded = [word for word in listed if word[:1].isalnum()]
    other = [word for word in listed if not word[:1].isalnum()]
    options = ([rf"\s+{words_pattern(worded)}"] if worded else []) + (
        [rf"\s*{words_pattern(other)}"] if other else []
    )
    return f"(?!{'|'.join(options)})" if options else ""


def key(phrase: str) -> str:
    """The lookup key of a matched phrase: lower case, single spaces.

    >>> key("US   Dollars"), key("increaſe"), key("ANNUALLY")
    ('us dollars', 'increase', 'annually')
    """
    return " ".join(phrase.translate(_FOLD).lower().split())


# Each letter that ``re.IGNORECASE`` matches to an ASCII letter (dotted and dotless i, long s,
# Kelvin sign) becomes that letter, so a phrase matched in any case has a key in its table.
_FOLD = str.maketrans(
    {
        char: letter
        for char in FOLDING_INTO_ASCII
        for letter in string.ascii_lowercase
        if re.fullmatch(letter, char, re.IGNORECASE)
    }
)


# -- scanning faster ----------------------------------------------------------------------
def quick_start(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` behind a look-ahead at its possible first letters, when they can be listed.

    >>> quick_start(re.compile(r"(?:about\\s+)?\\d+%", re.I)).pattern
    '(?=[\\\\da])(?:(?:about\\\\s+)?\\\\d+%)'
    >>> quick_start(re.compile(r"x?")).pattern
    'x?'
    """
    if not regex.flags & re.IGNORECASE and "(?i" in regex.pattern:
        return regex  # letters folded inside but not outside: keep it simple, leave it
    items = first_letters(regex)
    if not items:
        return regex
    return re.compile(_behind(items, regex.pattern), regex.flags)


def _behind(items: set[str], source: str) -> str:
    """``source`` behind a look-ahead at the first letters ``items`` (as it is if none)."""
    return f"(?=[{''.join(sorted(items))}])(?:{source})" if items else source


class LazyPattern:
    """A regex compiled when first used (``compiled``), unless given compiled: ``MultiScan``
    takes it in place of a compiled pattern, so a pattern it never tries costs nothing to
    build. ``flags`` are those the compiled pattern has: the ones given, and ``re.UNICODE``
    unless ``re.ASCII`` (``source`` sets none of its own: no ``(?x)`` at its start).

    >>> lazy = LazyPattern(r"\bQ[1-4]\b", re.I)
    >>> lazy.flags == re.compile(lazy.pattern, re.I).flags, lazy.compiled() is lazy.compiled()
    (True, True)
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, source: str, flags: int, compiled: re.Pattern[str] | None = None) -> None:
        self.pattern = source
        self.flags = int(flags) if flags & re.ASCII else int(flags) | re.UNICODE
        self._compiled = compiled

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled


class MultiScan:
    """Several patterns run over one text as if each ran its own ``finditer``.

    Each pattern's first few letters (``prefixes``) are merged into one look-ahead that
    finds where any match may start; there, only the patterns whose first letters fit are
    tried. A pattern whose start cannot be worked out runs its own ``finditer``. The matches
    are those of ``pattern.match`` at their start (``pos`` is that start). ``parsed``: the
    parse of each pattern where known (``scan_prefix.parse_filled``), by position. A
    ``LazyPattern`` is compiled when first tried.

    >>> scan = MultiScan([re.compile(r"\\bQ[1-4]\\b"), re.compile(r"\\b20\\d\\d\\b")])
    >>> [(index, hit.group()) for index, hit in scan.finditer("Q3 2023 and Q4")]
    [(0, 'Q3'), (1, '2023'), (0, 'Q4')]
    """

    def __init__(
        self,
        patterns: Sequence[re.Pattern[str] | LazyPattern],
        depth: int = 5,
        parsed: Sequence[Parsed | None] = (),
    ) -> None:
        self.patterns = tuple(patterns)
        self._compiled = [
            pattern if isinstance(pattern, re.Pattern) else None for pattern in self.patterns
        ]
        flags = self.patterns[0].flags if self.patterns else 0
        found: dict[int, Prefixes] = {}
        memo: Memo = {}  # the parts the parses share are walked once
        for index, pattern in enumerate(self.patterns):
            tree = parsed[index] if index < len(parsed) else None
            known = prefixes(pattern, depth, tree, memo) if pattern.flags == flags else None
            if known is not None:
                found[index] = known
        self._slow = tuple(index for index in range(len(self.patterns)) if index not in found)
        self._fast = tuple(found)
        self._depth = depth
        self._lengths = sorted({len(key) for known in found.values() for key in known.keys})
        table: dict[str, set[int]] = {}
        for index, known in found.items():
            for folded in known.keys:
                table.setdefault(folded, set()).add(index)
        self._table = {folded: tuple(sorted(indices)) for folded, indices in table.items()}
        starts = _starts_trie(atoms for known in found.values() for atoms in known.atoms)
        word = bool(found) and all(known.word_start for known in found.values())
        source = (r"(?<!\w)" if word else "") + f"(?={_render(starts)})"
        self._starts = re.compile(source, re.IGNORECASE | (flags & re.ASCII)) if found else None
        self._seen: dict[str, Sequence[int]] = {}  # folded text -> candidates, as looked up
        self._seen_as_written: dict[str, Sequence[int]] = {}  # the same, by the text itself

    def finditer(
        self, text: str, start: int = 0, end: int | None = None
    ) -> list[tuple[int, re.Match[str]]]:
        """Every (pattern index, match) of ``text[start:end]``, by start, then index."""
        stop = len(text) if end is None else end
        found = [
            (index, hit)
            for index in self._slow
            for hit in self._regex(index).finditer(text, start, stop)
        ]
        compiled = self._compiled
        if self._starts is not None:
            resume: dict[int, int] = {}  # where each pattern's own finditer would go on
            after = resume.get
            depth = self._depth
            known = self._seen_as_written
            for candidate in self._starts.finditer(text, start, stop):
                at = candidate.start()
                window = text[at : min(at + depth, stop)]
                indices = known.get(window)
                if indices is None:
                    indices = self._candidates(window)
                    if len(known) >= _SEEN_MOST:
                        known.clear()
                    known[window] = indices
                for index in indices:
                    if at >= after(index, start):
                        regex = compiled[index] or self._regex(index)
                        hit = regex.match(text, at, stop)
                        if hit is not None:
                            found.append((index, hit))
                            resume[index] = hit.end()
        if self._slow:
            # the others come by start, then index, as the candidates are looked at
            found.sort(key=lambda item: (item[1].start(), item[0]))
        return found

    def _regex(self, index: int) -> re.Pattern[str]:
        """The pattern at ``index``, compiled."""
        regex = self._compiled[index]
        if regex is None:
            pattern = self.patterns[index]
            assert isinstance(pattern, LazyPattern)
            regex = self._compiled[index] = pattern.compiled()
        return regex

    def _candidates(self, window: str) -> Sequence[int]:
        """The patterns whose first letters fit the text starting at a candidate position."""
        if not window.isascii():
            return self._fast  # folding is only worked out for ASCII: try them all
        folded = fold_text(window)
        found = self._seen.get(folded)
        if found is None:
            indices: set[int] = set()
            for length in self._lengths:
                if length > len(folded):
                    break
                indices.update(self._table.get(folded[:length], ()))
            if len(self._seen) >= _SEEN_MOST:
                self._seen.clear()
            found = self._seen[folded] = sorted(indices)
        return found


def _starts_trie(prefixes: Iterable[tuple[str, ...]]) -> _Trie:
    """The prefixes merged into the trie of a look-ahead (matched in any case) that holds
    wherever one of them does: an ASCII letter stands for itself in either case, and a prefix
    that another one begins with adds nothing (where it matches, so does the shorter one).

    >>> _render(_starts_trie([("A", "B"), ("a", "b", "c"), ("x",)]))
    '(?:ab|x)'
    """
    root = _Trie({})
    for atoms in sorted({tuple(map(_any_case, atoms)) for atoms in set(prefixes)}, key=len):
        node = root
        for atom in atoms:
            if node.tail is not None:
                break  # a shorter prefix already holds here
            node = node.children.setdefault(atom, _Trie({}))
        else:
            node.tail = ""
            node.children.clear()
    return root


def _any_case(atom: str) -> str:
    """One atom as the look-ahead writes it: an ASCII letter in lower case (``re.IGNORECASE``
    compiles either case to the same test)."""
    return atom.lower() if len(atom) == 1 and atom.isascii() else atom
