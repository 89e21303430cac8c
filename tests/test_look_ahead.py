"""quick_start finds exactly the matches of the pattern it speeds up; a sketch gives the
same look-ahead as the whole pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzaz_facts.look_ahead import Shorthands, quick_source, quick_start
from kzaz_facts.periods import default_finder

PATTERNS = [
    re.compile(r"(?<!\w)(?:(?:about|some)\s+)?(?P<n>\d{1,3}|ten|two)\s+(?:months|years)(?!\w)", re.I),
    re.compile(r"(?:\$|USD\s?)?\d+(?:[.,]\d+)?\s*(?:million|bn)\b", re.I),
    re.compile(r"\b(?-i:TITR)\b|middle\s+corridor", re.I),
    re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"),
]
WORDS = ["about ", "some ", "ten ", "two ", "12 ", "months", "years", "$", "USD ", "5.5",
         " million", "bn", "TITR", "titr", "Middle corridor", "Kassym-Jomart", "x", ", ", "\n"]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=25))
def test_same_matches(pattern: re.Pattern[str], parts: list[str]) -> None:
    text = "".join(parts)
    fast = quick_start(pattern)
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == [
        (m.span(), m.groupdict()) for m in pattern.finditer(text)
    ]


def test_look_ahead_lists_the_first_letters() -> None:
    fast = quick_start(re.compile(r"(?:about\s+)?\d+%|per\s*cent", re.I))
    assert fast.pattern.startswith("(?=[")
    assert set(re.findall(r"\\d|[a-z]", fast.pattern[4 : fast.pattern.index("]")])) == {"\\d", "a", "p"}


@pytest.mark.parametrize("source", [r"x?", r".+", r"[^a]b", r"(?:a|)b?"])
def test_unknown_first_letters_leave_the_pattern_alone(source: str) -> None:
    pattern = re.compile(source)
    assert quick_start(pattern) is pattern


PARTS = {
    "word": r"(?P<word>about|some|\d+)",  # one group: sketched as one character
    "maybe": r"(?:(?:nearly|almost)\s+)?",  # quantified: written out in the sketch
    "behind": r"(?<![\d.,])(?P<n>\d{1,3})",  # two items: written out
    "letter": r"(?:q)",  # one character: parsed as a literal
    "empty": r"(?:x|)",  # one group that may match nothing
    "odd": r"(?:.x)",  # one group whose first letters cannot be listed
}
TEMPLATES = [
    r"{word}\s+years",
    r"{maybe}{word}",
    r"{behind}\s+{word}",
    r"(?:{letter}|{word})s",  # the parser merges one-character alternatives into a class
    r"(?:{letter}|{empty})z",
    r"{empty}{word}",
    r"{empty}{odd}",
    r"y{odd}",
    r"{word}|{maybe}{letter}",
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_sketch_gives_the_look_ahead_of_the_whole_pattern(template: str) -> None:
    shorthands = Shorthands(PARTS, re.IGNORECASE)
    whole = template.format(**PARTS)
    sketch = shorthands.sketch(template.format(**shorthands.sketches))
    assert sketch.text != whole
    assert quick_source(whole, re.IGNORECASE, sketch) == quick_source(whole, re.IGNORECASE)


def test_every_period_rule_has_the_look_ahead_of_its_whole_pattern() -> None:
    rules = default_finder()._rules  # the compiled rules of the packaged data
    for rule in rules:
        pattern = rule.regex.pattern
        whole = pattern[pattern.index("])(?:") + len("])(?:") : -1]
        assert pattern == quick_source(whole, rule.regex.flags), rule.row.phrase
    assert len(rules) > 50
