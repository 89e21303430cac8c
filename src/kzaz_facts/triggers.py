"""Where amounts and changes may be: their triggers, found in one scan of the text.

Every amount holds a digit or a number word, every change a digit, a number word
("threefold") or a multiplier verb ("tripled"); ``Normaliser`` reads only the windows around
those (``text_windows.windows``) and tries its rules near them (``text_windows.lead_starts``).
A run of digits is one trigger: its window is the same as that of each digit. The words (each
after a word boundary, so never within a run of digits) are looked for apart, where a
look-ahead at their first letters speeds the scan.

The amount words and the change words are mostly the same words: one scan finds where
either kind may start, and each kind's own pattern is then tried there only, in the way its
own ``finditer`` would (from where its last match ended). So the two lists are those two
scans would give.

>>> from kzaz_facts.numbers import read_numbers
>>> from kzaz_facts.resources import default_data_dir
>>> numbers = read_numbers(default_data_dir() / "numbers.json")
>>> triggers = Triggers(numbers, ["tripled", "to double"])
>>> amounts, changes = triggers.find("Trade tripled to 2 million, threefold; to double")
>>> amounts, changes
([(17, 18), (19, 26)], [(6, 13), (17, 18), (28, 33), (39, 48)])
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kzaz_facts.guarded import guarded, lower_case
from kzaz_facts.numbers import NumbersTable
from kzaz_facts.scan import key, words_pattern

Spans = list[tuple[int, int]]

DIGITS = re.compile(r"\d+")


class Triggers:
    """The trigger patterns of amounts and changes, compiled once."""

    def __init__(self, numbers: NumbersTable, multiplier_words: Iterable[str]) -> None:
        amount_words = words_pattern(
            [*numbers.units, *numbers.tens, *numbers.hundreds, *numbers.scales]
        )
        change_words = (
            r"(?:\b"
            + words_pattern([*numbers.units, *numbers.tens], bounded=False)
            + "|"
            + words_pattern(multiplier_words)
            + ")"
        )
        self.amount_words = guarded(r"(?<!\w)" + amount_words, re.IGNORECASE)
        self.change_words = guarded(r"(?<!\w)" + change_words, re.IGNORECASE)
        self._either = guarded(rf"(?<!\w)(?:{amount_words}|{change_words})", re.IGNORECASE)
        self._hundred_words = tuple(sorted({key(word).split()[0] for word in numbers.hundreds}))
        self._hundreds = re.compile(words_pattern(numbers.hundreds), re.IGNORECASE)

    def find(self, text: str) -> tuple[Spans, Spans]:
        """The trigger spans of amounts and of changes, each sorted: what ``finditer`` of
        ``DIGITS`` and of ``amount_words`` (``change_words``) would give together."""
        digits = [hit.span() for hit in DIGITS.finditer(text)]
        amounts: Spans = []
        changes: Spans = []
        amount_end = change_end = 0
        # ``search`` from just after each hit, not ``finditer``: a hit of one kind may hide
        # the start of the other kind's match within it
        hit = self._either.search(text)
        while hit is not None:
            at = hit.start()
            if at >= amount_end and (found := self.amount_words.match(text, at)) is not None:
                amounts.append(found.span())
                amount_end = found.end()
            if at >= change_end and (found := self.change_words.match(text, at)) is not None:
                changes.append(found.span())
                change_end = found.end()
            hit = self._either.search(text, at + 1)
        return _merged(digits, amounts), _merged(digits, changes)

    def change_anchors(self, text: str, triggers: Spans) -> Spans:
        """The triggers, and the "hundred" of "a hundred percent": the one number word a
        change's figure may open with (after an article) that is no trigger. Every match of
        a change rule not led by a direction word holds one of them, with only ``lead`` words
        before it (a qualifier, the article).

        >>> from kzaz_facts.numbers import read_numbers
        >>> from kzaz_facts.resources import default_data_dir
        >>> numbers = read_numbers(default_data_dir() / "numbers.json")
        >>> Triggers(numbers, []).change_anchors("5, a Hundred percent", [(0, 1)])
        [(0, 1), (5, 12)]
        """
        lowered = lower_case(text)
        if lowered is None:
            hundreds = [hit.span() for hit in self._hundreds.finditer(text)]
        else:
            hundreds = []
            for word in self._hundred_words:
                at = lowered.find(word)
                while at >= 0:
                    hundreds.append((at, at + len(word)))
                    at = lowered.find(word, at + 1)
        return sorted(triggers + hundreds) if hundreds else triggers


def _merged(digits: Spans, words: Spans) -> Spans:
    return sorted(digits + words) if words else digits
