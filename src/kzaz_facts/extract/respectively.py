"""Figures listed together: "respectively" pairing, and a change that a later clause cut off.

N figures followed by "respectively" take, in order, the N years named before them ("in
2022 and 2023 … 4,100 and 5,300 tourists, respectively") and, for tourist counts, the N
origins named together before them. A change stated after a figure, with no other figure
or fact in between, still describes that figure (``change_owner``).
"""

from __future__ import annotations

import re

from kzaz_facts.extract.context import KINDS, DocumentContext, Draft, Parties, Place, Sentence
from kzaz_facts.extract.parties import PartyFinder
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch
from kzaz_facts.periods import PeriodMatch, single_year, year_span

_LIST_LINK = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)")
_LIST_END = re.compile(r"\s*,?\s*")


_NEXT_YEAR = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:in\s+)?((?:19|20)\d\d)\b")
_LAST_YEAR = re.compile(r"\b((?:19|20)\d\d)$")


def pair_respectively(
    context: DocumentContext,
    lexicon: Lexicon,
    parties: PartyFinder,
    drafts: list[Draft],
    periods: list[PeriodMatch],
    sentence: Sentence,
) -> None:
    """N figures + "respectively" take, in order, the N years named before them: "in
    2018-2019 ($5.1 million and $7.6 million, respectively)", "in 2022 and 2023 … 4,100 and
    5,300 tourists, respectively"."""
    text = context.text
    for word in lexicon.respectively.finditer(text, sentence.start_char, sentence.end_char):
        run: list[Draft] = []
        edge = word.start()
        for draft in reversed(drafts):
            amount = draft.amount
            if amount is None or amount.end > edge:
                continue
            link = _LIST_LINK if run else _LIST_END
            if not link.fullmatch(text, amount.end, edge):
                break
            run.insert(0, draft)
            edge = amount.start
        if len(run) < 2:
            continue
        if all(draft.kind == "tourism" for draft in run):
            _respective_origins(context, lexicon, parties, run, sentence.start_char, edge)
        years = _years_before(text, periods, edge, len(run))
        if not years:
            continue
        for draft, period in zip(run, years, strict=True):
            draft.period = period
            if sentence.start_char <= period.start:
                draft.pieces.append((period.start, period.end))


def _respective_origins(
    context: DocumentContext,
    lexicon: Lexicon,
    parties: PartyFinder,
    run: list[Draft],
    start: int,
    edge: int,
) -> None:
    """ "Tourists from Kazakhstan and Uzbekistan numbered 4,100 and 2,800, respectively":
    the N origins named together before the N counts, in order."""
    going = lexicon.words["visit_destination"]
    places = [p for p in context.places_in(start, edge) if context.before(p) not in going]
    named: list[Place] = []
    for place in reversed(places):
        if named and not _LIST_LINK.fullmatch(context.text, place.end, named[0].start):
            break
        named.insert(0, place)
        if len(named) == len(run):
            break
    if len(named) != len(run) or not parties.origin(named[0]):
        return
    for draft, place in zip(run, named, strict=True):
        destination = draft.parties.destination
        if destination == place.canonical:
            destination = None
        destination = destination or context.other(place.canonical)
        draft.parties = Parties(
            parties=sorted({n for n in (place.canonical, destination) if n}),
            source=place.canonical,
            destination=destination,
        )


def change_owner(
    text: str,
    lexicon: Lexicon,
    change: ChangeMatch,
    drafts: list[Draft],
    amounts: list[AmountMatch],
) -> Draft | None:
    """The figure a change cut off from it by the next figure's clause still describes:
    "2,086,548 foreigners visited Azerbaijan in 2023, which is 30.2 percent higher …, and
    134,589 people …". Only with no figure, "and" or word of another fact in between."""
    before = [d for d in drafts if d.amount is not None and d.amount.end <= change.start]
    if not before or before[-1].change is not None:
        return None
    draft = before[-1]
    assert draft.amount is not None
    gap_start = draft.amount.end
    if any(gap_start <= a.start and a.end <= change.start for a in amounts):
        return None
    gap = text[gap_start : change.start]
    if lexicon.change_break.search(gap):
        return None
    facts = lexicon.facts
    if any(facts[kind].search(gap) for kind in KINDS if kind != draft.kind):
        return None
    return draft


def _years_before(
    text: str, periods: list[PeriodMatch], position: int, count: int
) -> list[PeriodMatch]:
    """``count`` one-year periods named just before ``position``: a range of exactly ``count``
    years ("in 2018-2019"), or a year followed by more ("in 2021, 2022 and 2023")."""
    before = [p for p in periods if p.end <= position]
    if not before:
        return []
    period = before[-1]
    span = year_span(period)
    if span is not None and span[1] - span[0] + 1 == count:
        return [single_year(period, year) for year in range(span[0], span[1] + 1)]
    first = _LAST_YEAR.search(period.text)
    if first is None:
        return []
    years = [int(first.group(1))]
    end = period.end
    while (following := _NEXT_YEAR.match(text, end, position)) is not None:
        years.append(int(following.group(1)))
        end = following.end()
    return [single_year(period, year) for year in years] if len(years) == count else []
