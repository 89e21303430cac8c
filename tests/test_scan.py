"""Word lists become regexes one way; quick_start and MultiScan find exactly the matches of the
patterns they speed up."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzaz_facts import periods
from kzaz_facts.extract import Extractor
from kzaz_facts.scan import MultiScan, compile_words, quick_start, words_pattern
from kzaz_facts.scan_prefix import Parsed, alternates_at_top, parse, parse_filled, prefixes

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


# -- one word-list builder --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phrases", "text", "found"),
    [
        (["trade", "trade turnover"], "Trade  turnover grew", ["Trade  turnover"]),
        (["that is", "that is equal to"], "That is equal to $5", ["That is equal to"]),
        (["export*", "of goods"], "exported exports of goods", ["exported", "exports", "of goods"]),
        (["Sep", "Sept"], "Sept. 5", ["Sept"]),
        (["bn"], "5bn and bn", ["bn"]),
        (["$", "USD"], "$5 or USD5 or 5 USD", ["$", "USD"]),
    ],
)
def test_words_pattern_finds_the_longest_phrase(
    phrases: list[str], text: str, found: list[str]
) -> None:
    assert [m.group() for m in compile_words(phrases).finditer(text)] == found


def test_words_pattern_case_and_bounds() -> None:
    assert re.findall(words_pattern(["And"], case_sensitive=True), "and And AND") == ["And"]
    assert re.findall(words_pattern(["bn"], bounded=False), "5bn") == ["bn"]
    assert re.findall(words_pattern(["up to"], space=r"[ \t]+"), "up to, up\nto") == ["up to"]
    assert words_pattern([]) == "(?!)"


# -- many patterns in one scan ------------------------------------------------------------------
SCANNED = [
    *PATTERNS,
    re.compile(r"(?<!\w)(?:Q[1-4]|H[12])(?:\s*20\d\d)?(?!\w)", re.I),
    re.compile(r"(?<!\w)(?:the\s+)?(?:first|second)\s+half(?!\w)", re.I),
    re.compile(r"x?"),  # may be empty: scanned on its own
    re.compile(r".o"),  # starts with anything: scanned on its own
]
SCAN_WORDS = [*WORDS, "Q3 ", "h1", " 2023", "the first half", "Second  half", "ó", "\u00a0"]


@pytest.mark.parametrize(
    "patterns", [SCANNED, SCANNED[4:6], SCANNED[:2]], ids=["all", "word", "other"]
)
@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.sampled_from(SCAN_WORDS) | st.text(max_size=4), max_size=25),
    cut=st.tuples(st.integers(0, 60), st.integers(0, 200)),
)
def test_multiscan_finds_what_each_pattern_finds(
    patterns: list[re.Pattern[str]], parts: list[str], cut: tuple[int, int]
) -> None:
    text = "".join(parts)
    start, end = cut
    expected = sorted(
        ((m.start(), index), m.span(), m.groupdict())
        for index, pattern in enumerate(patterns)
        for m in pattern.finditer(text, start, end)
    )
    found = [
        ((m.start(), index), m.span(), m.groupdict())
        for index, m in MultiScan(patterns).finditer(text, start, end)
    ]
    assert found == expected


def test_prefixes_are_folded_and_unknown_starts_have_none() -> None:
    found = prefixes(re.compile(r"(?<!\w)Q[1-4]\s+20\d\d", re.I), 4)
    assert found is not None
    assert found.keys == {"q0 0", "q0  "}
    assert found.word_start
    assert prefixes(re.compile(r"x?"), 4) is None
    assert prefixes(re.compile(r".x"), 4) is None


# -- prefixes from a parse put together from parsed parts --------------------------------------
def test_period_rules_put_together_have_the_prefixes_of_the_whole_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each period row's parse, put together from its parsed slots, gives exactly the
    prefixes (letters, keys, look-behind) that parsing its whole regex gives."""
    built: list[tuple[list[re.Pattern[str]], list[Parsed | None]]] = []

    def recording(patterns: list[re.Pattern[str]], **options: Any) -> MultiScan:
        built.append((patterns, options["parsed"]))
        return MultiScan(patterns, **options)

    monkeypatch.setattr(periods, "MultiScan", recording)
    periods.PeriodFinder()
    [(patterns, parsed)] = built
    assert len(parsed) == len(patterns)
    assert sum(tree is not None for tree in parsed) >= len(patterns) * 0.9
    for pattern, tree in zip(patterns, parsed, strict=True):
        for depth in (1, 3, 5):
            assert prefixes(pattern, depth, tree) == prefixes(pattern, depth), pattern.pattern


@pytest.mark.parametrize(
    ("template", "whole"),
    [
        (r"(?:ab|(?P<s0>)c)?d", r"(?:ab|(?:x|y)c)?d"),
        (r"(?P<s0>)\s+(?P<s1>)", r"(?:x|y)\s+(?:\d\d)"),
        (r"(?=x)(?P<s1>)(?<!\w)", r"(?=x)(?:\d\d)(?<!\w)"),
    ],
)
def test_parse_filled_gives_the_prefixes_of_the_whole(template: str, whole: str) -> None:
    parts = {"s0": parse("x|y", re.I), "s1": parse(r"\d\d", re.I)}
    filled = parse_filled(template, parts, re.I)
    assert filled is not None
    regex = re.compile(whole, re.I)
    assert prefixes(regex, 4, filled) == prefixes(regex, 4)


def test_alternates_at_top() -> None:
    assert not alternates_at_top(r"(?:a|b)[|\]]\|c")
    assert alternates_at_top(r"a|b")
    assert alternates_at_top(r"[]|]|b")
    assert parse_filled(r"(?P<s0>", {}, 0) is None


@pytest.mark.parametrize(
    "phrases", [["trade", "trade turnover"], ["$", "USD"], ["export*", "+"], [], ["a", ""]]
)
def test_compile_words_is_quick_start_of_the_compiled_list(phrases: list[str]) -> None:
    slow = quick_start(re.compile(words_pattern(phrases), re.IGNORECASE))
    fast = compile_words(phrases)
    assert (fast.pattern, fast.flags) == (slow.pattern, slow.flags)


def test_compile_words_takes_the_first_letters_the_regex_has(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every word list compiled for the tables starts its look-ahead with exactly what
    ``first_letters`` reads off its regex (and ``quick_start`` would put there)."""
    from kzaz_facts import lexicon
    from kzaz_facts.extract import period_context
    from kzaz_facts.tables import Tables

    lists: list[list[str]] = []

    def recording(phrases: Iterable[str]) -> re.Pattern[str]:
        lists.append(list(phrases))
        return compile_words(lists[-1])

    monkeypatch.setattr(lexicon, "compile_words", recording)
    monkeypatch.setattr(period_context, "compile_words", recording)
    Extractor(Tables())
    assert len(lists) > 20
    for phrases in [*lists, ["İstanbul", "#1", "*x", "x*", ".net", "  ", "ǅ"]]:
        slow = quick_start(re.compile(words_pattern(phrases), re.IGNORECASE))
        assert compile_words(phrases).pattern == slow.pattern, phrases


def test_period_cues_find_the_sentences_their_lists_find(article_texts: list[str]) -> None:
    """``Lexicon.period_cues`` (behind ``compile_cues``) holds in a stretch of text exactly
    where an agreement word or a tourist word does, as the two lists compiled apart find."""

    from kzaz_facts.lexicon import Lexicon
    from kzaz_facts.resources import default_data_dir

    lexicon = Lexicon(default_data_dir())
    apart = [lexicon.agreement_words, lexicon.facts["tourism"]]
    texts = list(article_texts)
    texts.append("Signed-off ſigned; cosigned, TOURISTS, a memorandum\nof understanding_x")
    held = 0
    for text in texts:
        for start, end in _clauses(text):
            expected = any(words.search(text, start, end) for words in apart)
            assert (lexicon.period_cues.search(text, start, end) is not None) == expected
            held += expected
    assert held > 20


def test_speech_verbs_find_what_the_verb_list_finds(article_texts: list[str]) -> None:
    """``Lexicon.speech_verbs`` (behind ``compile_cues``) finds in a stretch of text the very
    match, start and end, that ``speech["verb"]`` finds there."""

    from kzaz_facts.lexicon import Lexicon
    from kzaz_facts.resources import default_data_dir

    lexicon = Lexicon(default_data_dir())
    plain = lexicon.speech["verb"]
    texts = list(article_texts)
    texts.append("unsaid; SAID, ſaid, according\nto x, pointed  out_x, said_x, 'told' re-stated")
    held = 0
    for text in texts:
        for start, end in _clauses(text):
            expected = plain.search(text, start, end)
            found = lexicon.speech_verbs.search(text, start, end)
            assert (found and found.span()) == (expected and expected.span())
            held += expected is not None
    assert held > 20


def _clauses(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` between punctuation marks and line breaks."""
    cuts = [0, *(hit.end() for hit in re.finditer(r"[.;,\n]", text)), len(text)]
    return list(itertools.pairwise(cuts))
