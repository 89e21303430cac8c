"""Where to look for amounts and changes, and which of overlapping candidates to keep.

Patterns run only over short stretches of text around their trigger (a digit or number
word), so a long line with nothing to find costs one scan, and a pattern whose every match
holds one of a few words skips a stretch without any of them; candidates found in those
stretches are then reduced to a non-overlapping, earliest-and-longest-first list.

Within a stretch a pattern is not tried at every position (``rule_matches``) but only where
a match can start (``anchored_matches``): at or just before a trigger, walking back over the
words an amount may hold before its figure (``lead_starts``), or where the word that opens
the pattern stands. Both give the same matches; ``tests/test_normalise.py`` holds them to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from kzaz_facts.guarded import lower_case


class Rule:
    """A pattern, and the words (lower case) one of which every match of it holds; empty
    when there are none to name. A stretch of text with none of them is not searched.

    A pattern given as its source is compiled (with ``flags``) when first searched with:
    a rule whose words no text holds costs nothing to build.

    ``opening``: a pattern that matches wherever a match of this rule starts (the
    "increased" of "increased by 5%"); ``anchored_matches`` tries the rule only there.

    >>> rule = Rule(r"\\d+ times", ("times",), re.I)
    >>> rule.pattern.flags & re.I != 0, rule.pattern is rule.pattern
    (True, True)
    """

    __slots__ = ("_flags", "_pattern", "opening", "words")

    def __init__(
        self,
        pattern: re.Pattern[str] | str,
        words: tuple[str, ...] = (),
        flags: int = 0,
        opening: re.Pattern[str] | None = None,
    ) -> None:
        self.words = words
        self._pattern = pattern
        self._flags = flags
        self.opening = opening

    @property
    def pattern(self) -> re.Pattern[str]:
        if isinstance(self._pattern, str):
            self._pattern = re.compile(self._pattern, self._flags)
        return self._pattern


def rule_matches(
    rules: Iterable[Rule], text: str, regions: list[tuple[int, int]]
) -> Iterator[tuple[re.Pattern[str], re.Match[str]]]:
    """Every match of every rule in each region, rule by rule.

    >>> rule = Rule(re.compile(r"\\d+ times", re.I), ("times",))
    >>> [m.group() for _, m in rule_matches([rule], "5 TIMES, 6 times", [(0, 7), (8, 16)])]
    ['5 TIMES', '6 times']
    >>> list(rule_matches([rule], "5 TIMES, 6 times", [(0, 5)]))
    []
    """
    lowered = lower_case(text)
    for rule in rules:
        for low, high in regions:
            if _lacks_words(rule.words, lowered, low, high):
                continue
            pattern = rule.pattern
            for match in pattern.finditer(text, low, high):
                yield pattern, match


def anchored_matches(
    rules: Iterable[Rule], text: str, regions: list[tuple[int, int]], starts: list[list[int]]
) -> Iterator[tuple[re.Pattern[str], re.Match[str]]]:
    """What ``rule_matches`` gives, in the same order, trying each rule only at the
    positions of ``starts`` (one sorted list per region) instead of at every position.

    It runs each region as ``finditer`` does: the first match at or after where the last
    one ended, so it gives the same matches wherever ``starts`` holds every position at
    which a rule can match (``lead_starts``). A rule never matches the empty string. A rule
    with an ``opening`` is tried where the opening starts instead.

    >>> rule = Rule(re.compile(r"\\d+ times", re.I), ("times",))
    >>> [m.group() for _, m in anchored_matches([rule], "5 TIMES, 6 times", [(0, 16)],
    ...                                         [[0, 9]])]
    ['5 TIMES', '6 times']
    """
    lowered = lower_case(text)
    opened: dict[tuple[int, int], list[int]] = {}  # the opening's starts, by rule and region
    for rule in rules:
        for number, ((low, high), positions) in enumerate(zip(regions, starts, strict=True)):
            if _lacks_words(rule.words, lowered, low, high):
                continue
            opening = rule.opening
            if opening is not None:
                known = (id(opening), number)
                if known not in opened:
                    opened[known] = _every_start(opening, text, low, high)
                positions = opened[known]
            match = rule.pattern.match
            resume = low
            for position in positions:
                if position >= resume:
                    found = match(text, position, high)
                    if found is not None:
                        yield rule.pattern, found
                        resume = found.end()


def _lacks_words(words: tuple[str, ...], lowered: str | None, low: int, high: int) -> bool:
    """Whether ``lowered[low:high]`` holds none of ``words`` (never when there are none to
    name, or the text has no lower-case copy that keeps its offsets).

    >>> _lacks_words(("times",), "5 times", 0, 7), _lacks_words(("times",), "5 times", 0, 3)
    (False, True)
    """
    return (
        bool(words)
        and lowered is not None
        and all(lowered.find(word, low, high) < 0 for word in words)
    )


def _every_start(pattern: re.Pattern[str], text: str, low: int, high: int) -> list[int]:
    """Every position of ``text[low:high]`` where ``pattern`` matches, overlapping or not.

    >>> _every_start(re.compile(r"(?<!\\w)(?:went up|up)"), "it went up, up", 0, 14)
    [3, 8, 12]
    """
    found = []
    hit = pattern.search(text, low, high)
    while hit is not None:
        found.append(hit.start())
        hit = pattern.search(text, hit.start() + 1, high)
    return found


def lead_starts(
    triggers: list[tuple[int, int]],
    regions: list[tuple[int, int]],
    text: str,
    lead: re.Pattern[str],
) -> list[list[int]]:
    """Where a match holding a trigger may start, per region. A match may hold text before
    its first trigger: ``lead`` words (``amount_grammar.lead_pattern``) and white space, and
    it starts where no word letter stands before it (every pattern opens with ``(?<!\\w)``
    or a narrower look-behind). So it starts in the run of non-space text holding its first
    trigger, at or before the trigger (the run's start, or after a character no word
    letter), or in a run before that, at such a position from which ``lead`` matches the
    rest of the run; and every run between is made of ``lead`` words wholly. Walking back
    from each trigger over those runs finds every such position.

    The walk stops at the previous trigger of the region: a match's first trigger is the
    first to start within it, so the match starts after the previous trigger's start.

    >>> lead = re.compile("(?:about|US|the)+", re.I)
    >>> text = "Trade of about US $5 million, the (about 6 bn)"
    >>> lead_starts([(19, 20), (41, 42)], [(0, len(text))], text, lead)
    [[9, 15, 18, 19, 35, 41]]
    """
    found: list[list[int]] = []
    at = 0
    for low, high in regions:
        positions: list[int] = []
        floor = low
        while at < len(triggers) and triggers[at][0] < high:
            start = triggers[at][0]
            at += 1
            if start >= low:  # an anchor outside every region starts no match found there
                positions.extend(_walk_back(text, start, floor, lead))
                floor = start + 1
        positions.sort()
        found.append(positions)
    return found


def _walk_back(text: str, trigger: int, floor: int, lead: re.Pattern[str]) -> list[int]:
    """The positions of ``lead_starts`` for one trigger, none before ``floor``."""
    start = trigger
    while start > floor and not text[start - 1].isspace():
        start -= 1
    # the trigger's run, up to the trigger itself
    positions = [trigger] if start == trigger else _word_starts(text, start, trigger + 1, None)
    while start > floor:
        end = start - 1  # the white space before the run just walked
        while end > floor and text[end - 1].isspace():
            end -= 1
        if end <= floor:
            break
        start = end - 1
        while start > floor and not text[start - 1].isspace():
            start -= 1
        whole = lead.fullmatch(text, start, end) is not None
        if whole:
            positions.append(start)
        if _NOT_WORD.search(text, start, end - 1) is not None:
            positions += _word_starts(text, start, end, lead)[1:]
        if not whole:
            break  # a run no amount can hold wholly: none starts before it
    return positions


_NOT_WORD = re.compile(r"\W")


def _word_starts(text: str, start: int, end: int, lead: re.Pattern[str] | None) -> list[int]:
    """``start``, and each position of ``text[start:end]`` after a character no word letter
    (where a pattern opening with ``(?<!\\w)`` may start), if ``lead`` is given only those
    from which ``lead`` matches the rest of the text up to ``end``."""
    found = [start, *(hit.end() for hit in _NOT_WORD.finditer(text, start, end - 1))]
    if lead is None:
        return found
    return [found[0], *(at for at in found[1:] if lead.fullmatch(text, at, end))]


def trigger_spans(patterns: Iterable[re.Pattern[str]], text: str) -> list[tuple[int, int]]:
    """The spans of the matches of patterns that never overlap one another (digits, words),
    in the order of the text: what one scan of their alternation would find.

    >>> trigger_spans([re.compile(r"\\d+"), re.compile(r"\\bone\\b")], "one 22 and one")
    [(0, 3), (4, 6), (11, 14)]
    """
    spans = [match.span() for pattern in patterns for match in pattern.finditer(text)]
    spans.sort()
    return spans


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpannedT = TypeVar("SpannedT", bound=_Spanned)


def non_overlapping(candidates: Iterable[SpannedT]) -> list[SpannedT]:
    """Keep the earliest candidate, and the longest of those starting together; drop overlaps.

    >>> from types import SimpleNamespace as S
    >>> [(c.start, c.end) for c in non_overlapping([S(start=4, end=9), S(start=0, end=5),
    ...                                              S(start=0, end=3), S(start=9, end=12)])]
    [(0, 5), (9, 12)]
    """
    chosen: list[SpannedT] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if not chosen or candidate.start >= chosen[-1].end:
            chosen.append(candidate)
    return chosen


def windows(
    triggers: Iterable[tuple[int, int]], text: str, margin: int = 160
) -> list[tuple[int, int]]:
    """Stretches of ``text`` around each trigger, widened to whitespace and merged.

    A match never reaches further than ``margin`` characters from its digit or number word
    (a qualifier or "increased exports by" before, a unit and "or more" after), and cutting at
    whitespace keeps "$5 million|aires" from ending inside a word.

    >>> text = "Trade rose. " + "x " * 100 + "It hit $5 million."
    >>> windows([(220, 221)], text, margin=10)
    [(210, 230)]
    >>> windows([(0, 1), (6, 7)], "1 and 2", margin=10)
    [(0, 7)]
    """
    regions: list[tuple[int, int]] = []
    for start, end in triggers:
        # Never walk over text already covered: a long token with many digits in it
        # ("a1a1…", a base64 line) is walked once, not once per digit.
        covered = regions[-1][1] if regions else 0
        low = max(0, start - margin)
        high = max(covered, min(len(text), end + margin))
        while low > covered and not text[low - 1].isspace():
            low -= 1
        while high < len(text) and not text[high].isspace():
            high += 1
        if regions and low <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(high, regions[-1][1]))
        else:
            regions.append((low, high))
    return regions
