"""Facts that run over two sentences: a figure's period carried on, a change or figure completed.

"Trade rose 2.1 times in eight months. That is about $170 million." is one fact; so is
"Trade reached $287.6 million in January-July. This is 21.4 percent more than a year
earlier."; and a breakdown right after a figure with a period ("… the number of tourists
from Kazakhstan amounted to 4,352") is of that period. ``SentenceLinks`` remembers, from one
sentence to the next, which figures and changes are already taken and which draft carries on.
"""

from __future__ import annotations

import re

from kzaz_facts.extract.context import DocumentContext, Draft, Kind, Sentence
from kzaz_facts.extract.period_context import SentencePeriods
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, UnitKinds

MONEY_KINDS: tuple[Kind, ...] = ("trade", "investment")
# What may follow the figure that completes a change: the end of its sentence.
_CLOSING = re.compile(r"\s*[.!;]?\s*[\"”’']?\s*")


class SentenceLinks:
    """What one sentence of a document hands on to the next."""

    def __init__(self, context: DocumentContext, lexicon: Lexicon, units: UnitKinds) -> None:
        self.context = context
        self.text = context.text
        self.units = units
        self._completion = lexicon.completion
        self._anaphor = lexicon.change_anaphor
        # Figures that completed the change of the sentence before them (start offsets).
        self.given: set[int] = set()
        # Changes that completed the figure of the sentence before them (start offsets).
        self.given_changes: set[int] = set()
        # The last figure with a period, and where its sentence ends (see carried).
        self._carry: tuple[int, Draft] | None = None

    def hand_on(self, sentence: Sentence, carried: Draft | None) -> None:
        """Remember the draft of ``sentence`` whose period the next sentence may inherit."""
        has_period = carried is not None and carried.period is not None
        self._carry = (sentence.end_char, carried) if carried is not None and has_period else None

    def carried(self, sentence: Sentence, found: SentencePeriods) -> Draft | None:
        """The figure of the sentence just before, when this sentence names no period: a
        breakdown or a follow-up of a figure just stated ("Around 10,744 tourists … visited
        Azerbaijan in February 2024. … the number of tourists from Kazakhstan amounted to
        4,352") is of its period. The finder takes it only for a figure of the same kind and
        modality with no present-time word or comparison of its own."""
        if self._carry is None or found.own:
            return None
        end, draft = self._carry
        between = self.text[end : sentence.start_char]
        return draft if end <= sentence.start_char and not between.strip() else None

    def complete_from_next(self, drafts: list[Draft], sentence: Sentence) -> None:
        """A change stated last in a sentence takes the figure of the next one when that
        sentence only gives it: "Trade rose 2.1 times in eight months. That is about $170
        million." is one fact, with the period of the first sentence."""
        if not drafts:
            return
        last = max(drafts, key=anchor_start)
        if last.amount is not None or last.change is None:
            return
        following = self.context.next_sentence(sentence)
        if following is None:
            return
        opening = self._completion.match(self.text, following.start_char, following.end_char)
        amounts = self.context.amounts_in(following.start_char, following.end_char)
        if opening is None or len(amounts) != 1 or not self._fits(last.kind, amounts[0]):
            return
        amount = amounts[0]
        if self.text[opening.end() : amount.start].strip():
            return  # "That is an increase of $170 million": a difference, not the level
        if not _CLOSING.fullmatch(self.text, amount.end, following.end_char):
            return
        last.amount = amount
        last.pieces.append((amount.start, amount.end))
        last.sentences = Sentence(
            sentence.start, following.end, sentence.start_char, following.end_char
        )
        if last.modality == "target":
            last.target_kind = "level"
        self.given.add(amount.start)

    def change_from_next(self, drafts: list[Draft], sentence: Sentence) -> None:
        """A figure stated last in a sentence takes the change of the next one when that
        sentence only gives it, of "the figure" or "this": "Trade reached $287.6 million in
        January-July. This is 21.4 percent more than a year earlier." is one fact."""
        if not drafts:
            return
        last = max(drafts, key=anchor_start)
        if last.amount is None or last.change is not None or last.modality != "actual":
            return
        following = self.context.next_sentence(sentence)
        if following is None:
            return
        start, end = following.start_char, following.end_char
        changes = self.context.changes_in(start, end)
        if len(changes) != 1 or self.context.amounts_in(start, end):
            return
        change = changes[0]
        if not self._anaphor.search(self.text, start, change.start):
            return
        last.change = change
        last.pieces.append((change.start, change.end))
        last.sentences = Sentence(
            sentence.start, following.end, sentence.start_char, following.end_char
        )
        self.given_changes.add(change.start)

    def _fits(self, kind: Kind, amount: AmountMatch) -> bool:
        """Whether ``amount`` is counted in a unit facts of ``kind`` are."""
        unit = amount.unit
        if kind in MONEY_KINDS:
            return unit is None or unit in self.units.currencies
        return unit is not None and self.units.facts.get(unit) == kind


def anchor_start(draft: Draft) -> int:
    """Where the figure (or, without one, the change) of ``draft`` starts; -1 with neither."""
    anchor = draft.amount or draft.change
    return anchor.start if anchor is not None else -1
