"""What every extraction step reads about one document, built once and then only read.

``DocumentContext`` holds the text, the figures the pipeline found, the entity index, the
country and group mentions (``Place``), the article's country pair and the periods of each
sentence. The small dataclasses a quantitative fact is drafted in live here too, so that the
steps (quantities, parties, records) share them without importing one another's logic.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, Protocol, TypeVar

from spacy.tokens import Doc, Span

from kzaz_facts.components import doc_text, layout
from kzaz_facts.extract.entity_index import EntityIndex
from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.normalise import AmountMatch, ChangeMatch
from kzaz_facts.periods import PeriodMatch
from kzaz_facts.records import Document, Modality

Kind = Literal["trade", "tourism", "cargo", "investment"]
KINDS: tuple[Kind, ...] = ("trade", "tourism", "cargo", "investment")
PLACE_LABELS = frozenset({"GPE", "NORP"})
POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})

# The last word (letters, digits and apostrophes) and what follows it, of a short window.
# Only a word's first letter is tried as a start (the look-behind), and the word is never
# given back letter by letter (``++``): the match is the one ``([\w’']+)\W*$`` finds,
# without trying every letter of every word in the window.
_WORD_BEFORE = re.compile(r"(?<![\w’'])([\w’']++)\W*$")

T = TypeVar("T", AmountMatch, ChangeMatch, PeriodMatch)


class Anchor(Protocol):
    """What a fact hangs on in its clause: a figure, or a change stated without one."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Place:
    """A country or group mention in the body (``DocumentContext.before`` gives the word
    just before it)."""

    canonical: str
    start: int
    end: int
    possessive: bool
    norp: bool


class Sentence(NamedTuple):
    """A sentence, as the ``Span`` of its tokens gives it: token bounds (``start``, ``end``)
    and character bounds (``start_char``, ``end_char``). Made from the layout's columns, it
    costs no ``Span`` and no ``Token`` objects."""

    start: int
    end: int
    start_char: int
    end_char: int


@dataclass(slots=True)
class Clause:
    """What one figure owns: the text leading to it (left) and following it (right)."""

    left: int
    right: int


@dataclass(slots=True)
class Parties:
    """Who a figure belongs to; ``source``/``destination`` give its direction when it has one
    (exporter/importer, tourists' origin/destination, investor/recipient)."""

    parties: list[str] = field(default_factory=list)
    reporter: str | None = None
    flow: Literal["turnover", "export", "import"] = "turnover"
    source: str | None = None
    destination: str | None = None


@dataclass(slots=True)
class Draft:
    """A quantitative fact before it becomes a record."""

    kind: Kind
    modality: Modality
    amount: AmountMatch | None
    change: ChangeMatch | None
    period: PeriodMatch | None
    pieces: list[tuple[int, int]]
    parties: Parties
    scope: str = "total"
    target_kind: Literal["level", "increase"] | None = None
    route: str | None = None
    # The sentences the evidence spans when the figure is given by the next sentence
    # ("Trade doubled. That is $170 million."); None: the sentence it was drafted in.
    sentences: Sentence | None = None


def within(items: Sequence[T], starts: Sequence[int], start: int, end: int) -> list[T]:
    """The items (sorted by start, ``starts`` their starts) inside ``start``..``end``."""
    first = bisect_left(starts, start)
    found = []
    for item in items[first:]:
        if item.start >= end:
            break
        if item.end <= end:
            found.append(item)
    return found


def word_before(text: str, position: int) -> str:
    """The lower-case word just before ``position``.

    >>> word_before("trade with  Azerbaijan", 12)
    'with'
    """
    found = last_word(text, position)
    return found[0] if found is not None else ""


def last_word(text: str, position: int) -> tuple[str, int] | None:
    """The lower-case word just before ``position`` (within 40 characters) and its start.

    >>> last_word("trade with  Azerbaijan", 12)
    ('with', 6)
    """
    start = max(0, position - 40)
    # The window is cut out, so that a word cut by its start still starts there.
    match = _WORD_BEFORE.search(text[start:position])
    return (match.group(1).lower(), start + match.start(1)) if match is not None else None


def nearest(
    pattern: re.Pattern[str], text: str, start: int, end: int, anchor: int
) -> re.Match[str] | None:
    """The match of ``pattern`` in ``text[start:end]`` closest to ``anchor``."""
    best: re.Match[str] | None = None
    best_distance = 0
    for match in pattern.finditer(text, start, end):
        distance = anchor - match.end() if match.end() <= anchor else match.start() - anchor
        if best is None or distance < best_distance:
            best, best_distance = match, distance
    return best


class DocumentContext:
    """The read-only facts about one document that every extraction step looks up."""

    def __init__(
        self,
        document: Document,
        doc: Doc,
        gazetteer: Gazetteer,
        currency_names: re.Pattern[str] | None = None,
    ) -> None:
        """``currency_names``: the currency names and symbols (``Normaliser.currency_names``);
        a place mention that starts one ("US dollars", "Kazakh tenge") is no place."""
        self.document = document
        self.currency_names = currency_names
        self.doc = doc
        self.gazetteer = gazetteer
        self.text = doc_text(doc)
        self.offset = document.body_start
        self.amounts: list[AmountMatch] = doc._.kzaz_amounts or []
        self.changes: list[ChangeMatch] = doc._.kzaz_changes or []
        self._amount_starts = [item.start for item in self.amounts]
        self._change_starts = [item.start for item in self.changes]
        bounds = layout(doc)
        self.ents = EntityIndex(doc, self.text, bounds)
        # The (start, end) of GPE/NORP mentions that are a currency's word ("US dollars").
        self.currency_words: set[tuple[int, int]] = set()
        self.places = self._find_places()
        self._before: dict[int, str] = {}
        self._place_starts = [place.start for place in self.places]
        self.pair, self.focus = self._country_pair()
        # Sentences without their leading and trailing white space (``iter_sentences``).
        self.sentences = [
            Sentence(start, end, bounds.token_starts[start], bounds.token_ends[end - 1])
            for start, end in bounds.sentences
        ]
        self._sentence_starts = [sentence.start_char for sentence in self.sentences]
        # The sentences the pipeline found no amount, change, agreement word or tourist word
        # in (``Quantities``): none of them states a fact (see ``quiet``).
        stating: list[tuple[int, int]] | None = doc._.kzaz_fact_sentences
        self._quiet: frozenset[int] = (
            frozenset(self._sentence_starts) - {start for start, _ in stating}
            if stating is not None
            else frozenset()
        )
        # The sentences holding an agreement's action or head word, where the pipeline said.
        worded: list[tuple[int, int]] | None = doc._.kzaz_agreement_sentences
        self._worded = None if worded is None else frozenset(start for start, _ in worded)
        # The periods of every sentence that may state a fact, found by the pipeline.
        self.periods: list[PeriodMatch] = doc._.kzaz_periods or []
        self._period_ends = [period.end for period in self.periods]

    def span_text(self, span: Span | Sentence) -> str:
        """``span.text``, cut from the text instead of joined from ``Token`` objects."""
        return self.text[span.start_char : span.end_char]

    # -- figures and periods ----------------------------------------------------------------
    def amounts_in(self, start: int, end: int) -> list[AmountMatch]:
        return within(self.amounts, self._amount_starts, start, end)

    def changes_in(self, start: int, end: int) -> list[ChangeMatch]:
        return within(self.changes, self._change_starts, start, end)

    def periods_of(self, sentence: Sentence) -> list[PeriodMatch]:
        """The periods of one sentence (those ending inside it)."""
        return self.periods_in(sentence.start_char, sentence.end_char)

    def periods_in(self, start: int, end: int) -> list[PeriodMatch]:
        """The periods that end inside ``text[start:end]``, their lead words included."""
        first = bisect_right(self._period_ends, start)
        stop = bisect_right(self._period_ends, end)
        return self.periods[first:stop]

    # -- sentences and paragraphs -----------------------------------------------------------
    def quiet(self, sentence: Sentence) -> bool:
        """Whether ``sentence`` holds no amount or change starting in it, and no match of
        ``Lexicon.agreement_words`` (every action and head word) or of the tourist trigger
        words, searched over the sentence's own bounds by the ``Quantities`` component.
        False when the pipeline did not say."""
        return sentence.start_char in self._quiet

    def before_in_paragraph(self, sentence: Sentence, back: int = 0) -> list[Sentence]:
        """The sentences before ``sentence`` in its paragraph and in the ``back`` paragraphs
        before it, nearest first."""
        index = bisect_left(self._sentence_starts, sentence.start_char)
        found: list[Sentence] = []
        while index > 0:
            if not self._same_paragraph(index - 1):
                if back == 0:
                    break
                back -= 1
            index -= 1
            found.append(self.sentences[index])
        return found

    def next_sentence(self, sentence: Sentence) -> Sentence | None:
        index = bisect_left(self._sentence_starts, sentence.start_char)
        return self.sentences[index + 1] if index + 1 < len(self.sentences) else None

    def _same_paragraph(self, index: int) -> bool:
        """Whether sentence ``index + 1`` follows sentence ``index`` with no line break."""
        gap = self.text[self.sentences[index].end_char : self.sentences[index + 1].start_char]
        return "\n" not in gap and "\r" not in gap

    # -- places -----------------------------------------------------------------------------
    def places_in(self, start: int, end: int) -> list[Place]:
        first = bisect_left(self._place_starts, start)
        found = []
        for place in self.places[first:]:
            if place.start >= end:
                break
            found.append(place)
        return found

    def before(self, place: Place) -> str:
        """The lower-case word just before ``place`` ("from", "between"), looked up once
        and only for the places a rule asks about."""
        word = self._before.get(place.start)
        if word is None:
            word = self._before[place.start] = word_before(self.text, place.start)
        return word

    def names_no_agreement(self, sentence: Sentence) -> bool:
        """Whether ``sentence`` holds no match of ``Lexicon.agreement_words`` (every action
        and head word), searched over its own bounds by the ``Quantities`` component. False
        when the pipeline did not say."""
        return self._worded is not None and sentence.start_char not in self._worded

    def other(self, party: str) -> str | None:
        """The other country of the article's pair."""
        if party in self.pair and len(self.pair) == 2:
            return self.pair[1] if self.pair[0] == party else self.pair[0]
        return None

    def _find_places(self) -> list[Place]:
        places = []
        for ent in self.ents.all:
            if ent.label_ not in PLACE_LABELS:
                continue
            if self._names_currency(ent):
                self.currency_words.add((ent.start_char, ent.end_char))
                continue
            canonical = self.ents.canonical(ent)
            if not self.gazetteer.is_country_like(canonical):
                continue
            after = self.ents.token_text(ent.end)
            places.append(
                Place(
                    canonical=canonical,
                    start=ent.start_char,
                    end=ent.end_char,
                    possessive=after in POSSESSIVE_MARKS,
                    norp=ent.label_ == "NORP",
                )
            )
        return places

    def _names_currency(self, ent: Span) -> bool:
        """A mention inside a figure ("612.5 million US dollars") or starting a currency's
        name ("the Kazakh tenge weakened") names money, not a place."""
        before = bisect_right(self._amount_starts, ent.start_char)
        if before and self.amounts[before - 1].end >= ent.end_char:
            return True
        if self.currency_names is None:
            return False
        match = self.currency_names.match(self.text, ent.start_char)
        return match is not None and match.end() > ent.end_char

    def _country_pair(self) -> tuple[list[str], str | None]:
        """The two countries the article is about (the most mentioned, first seen first;
        groups and regions never), and its focus: the one country mentioned at least twice
        as often as any other ("Georgia's trade with the EU …"), if there is one."""
        counts = Counter(
            p.canonical
            for p in self.places
            if self.gazetteer.kind(p.canonical) in {"country", None}
        )
        title = self.document.title or ""
        for place in self.places:
            if place.canonical in title:
                counts[place.canonical] += 2
        order = {p.canonical: i for i, p in reversed(list(enumerate(self.places)))}
        ranked = sorted(counts, key=lambda name: (-counts[name], order[name]))
        focus = None
        if ranked and (len(ranked) == 1 or counts[ranked[0]] >= 2 * counts[ranked[1]]):
            focus = ranked[0]
        return sorted(ranked[:2]), focus
