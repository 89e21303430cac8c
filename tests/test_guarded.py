"""Tests for kzaz_facts.guarded and the stretch skipping of text_windows: the fast patterns
find exactly what the patterns as written find, in any case and with any folding."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzaz_facts import amount_grammar, text_windows, triggers
from kzaz_facts.guarded import FOLDING_INTO_ASCII, guarded, lower_case
from kzaz_facts.normalise import Normaliser

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "devset" / "articles").glob("*.txt")),
    *sorted((ROOT / "tests" / "holdout" / "articles").glob("*.txt")),
]
# Characters ``re.IGNORECASE`` folds into ASCII letters, and their letters.
ODD_FORMS = {"k": "\u212a", "s": "\u017f", "i": "\u0131", "I": "\u0130"}


def test_folding_into_ascii_lists_every_character() -> None:
    """Every character beyond ASCII that ``re.IGNORECASE`` matches with an ASCII letter."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = [
        chr(code)
        for code in range(0x80, 0x110000)
        if not 0xD800 <= code < 0xE000 and letter.fullmatch(chr(code))
    ]
    assert "".join(found) == FOLDING_INTO_ASCII


def test_lower_case_refuses_a_text_that_folds_otherwise() -> None:
    assert lower_case("Rose 8% – “up”") == "rose 8% – “up”"
    assert lower_case("\u212azt 5 billion") is None
    assert lower_case("\u0130stanbul") is None


@pytest.mark.parametrize(
    "source",
    [
        r"(?<!\w)(?:about\s+)?\d+%",
        r"(?<![\w.,])(?:(?P<q>some|approx\.)\s+)?(?P<f>\d+|one|two)(?:\s+(?P<u>tons?|kg))?",
        r"(?<!\w)(?-i:USD)\s?\d+",
        r"(?<!\w)[a-z]+ing\b",
        r"(?<!\w)(?:x|)",  # may match the empty string: compiled as written
        r"\d+|\bone\b",  # no look-behind: compiled as written
    ],
)
def test_a_guarded_pattern_finds_what_the_pattern_finds(source: str) -> None:
    plain = re.compile(source, re.IGNORECASE)
    fast = guarded(source, re.IGNORECASE)
    for text in _variants("Some 5 TONS, approx. two Kg; USD 7 and usd 8, RAISING ABOUT 9%"):
        assert _spans(fast, text) == _spans(plain, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aboutSOME tn05%.,-\u212a\u017f\u0131\u0130kKsSiI", max_size=40))
def test_guarded_on_any_text(text: str) -> None:
    source = r"(?<![\w.,])(?:(?P<q>about|some)\s+)?(?P<f>\d+|one|ten)(?:\s*%|\s+tons?|\s+kits?)"
    assert _spans(guarded(source, re.IGNORECASE), text) == _spans(
        re.compile(source, re.IGNORECASE), text
    )


def test_the_grammar_finds_the_same_fast_and_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guarded grammar with stretch skipping against the patterns as written, scanning
    every stretch: articles as they are, in other cases and with letters that fold oddly."""
    fast = Normaliser()
    with monkeypatch.context() as patch:
        patch.setattr(amount_grammar, "guarded", re.compile)
        patch.setattr(triggers, "guarded", re.compile)
        slow = Normaliser()
    monkeypatch.setattr(text_windows, "lower_case", lambda text: None)
    texts = [path.read_text(encoding="utf-8") for path in ARTICLES]
    for path in (ROOT / "tests" / "cases").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("{"):
                texts.append(str(json.loads(line).get("sentence", "")))
    for text in texts:
        for variant in _variants(text):
            assert _outcome(fast.find_amounts, variant) == _outcome(slow.find_amounts, variant)
            assert _outcome(fast.find_changes, variant) == _outcome(slow.find_changes, variant)


def _outcome(find: Callable[[str], object], text: str) -> object:
    """What ``find`` gives, or the error it raises (a word with a letter in an odd form is
    matched but then not known: "increa\u017fe")."""
    try:
        return find(text)
    except KeyError as error:
        return repr(error)


def _variants(text: str) -> list[str]:
    """The text, in upper, lower and swapped case, and with some letters in odd forms."""
    chance = random.Random(len(text))
    odd = "".join(
        ODD_FORMS[char] if char in ODD_FORMS and chance.random() < 0.3 else char for char in text
    )
    return [text, text.upper(), text.lower(), text.swapcase(), odd]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text)]


def test_a_guarded_pattern_has_the_flags_of_the_pattern_as_written() -> None:
    source = r"(?<!\w)(?:about\s+)?\d+%"
    for flags in (re.IGNORECASE, re.IGNORECASE | re.ASCII, 0):
        assert guarded(source, flags).flags == re.compile(source, flags).flags
