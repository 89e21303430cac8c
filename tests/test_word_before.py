"""``last_word`` finds what the plain "last word of a 40-character window" regex finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kzaz_facts.extract.context import last_word

# The plain form: tried at every letter of the window, giving letters back one by one.
PLAIN = re.compile(r"([\w’']+)\W*$")
LETTERS = st.sampled_from(list("ab Z1_'’ \n\t,.-–$é\u0130\u00a0"))


def plain(text: str, position: int) -> tuple[str, int] | None:
    match = PLAIN.search(text, max(0, position - 40), position)
    return (match.group(1).lower(), match.start(1)) if match else None


@settings(max_examples=3000)
@given(st.lists(LETTERS, max_size=70).map("".join), st.integers(min_value=0, max_value=70))
def test_last_word_is_the_plain_regex(text: str, position: int) -> None:
    position = min(position, len(text))
    assert last_word(text, position) == plain(text, position)


def test_last_word_cut_by_the_window() -> None:
    text = "x" * 50 + " of"
    assert last_word(text, 50) == plain(text, 50) == ("x" * 40, 10)
    assert last_word("Kazakhstan’s  ", 14) == ("kazakhstan’s", 0)
