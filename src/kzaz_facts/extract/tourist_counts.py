"""Bare numbers that count tourists: "from Kazakhstan amounted to 4,352", "31,000 Kazakhstanis".

A number with no unit is a count of people only when its clause is about tourists: the
nearest fact word before it is a tourist word, a count lead ("amounted to", "at") or a list
of such counts leads to it, and a count follow-up (or the end of the clause) comes after it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kzaz_facts.extract.context import KINDS, Anchor, DocumentContext, Kind, Sentence, nearest
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch, Normaliser


def tourist_counts(
    context: DocumentContext,
    lexicon: Lexicon,
    normaliser: Normaliser | None,
    sentence: Sentence,
    amounts: list[AmountMatch],
    changes: list[ChangeMatch],
) -> list[AmountMatch]:
    """Bare numbers that count the tourists their clause names: "the number of tourists
    from Kazakhstan amounted to 4,352", "Uzbekistan at 2,877", "from Kazakhstan: 225,124",
    "31,000 Kazakhstanis visited"; the elliptical "… 12,000 in 2016 and 15,000 in 2017"."""
    start, end = sentence.start_char, sentence.end_char
    text = context.text
    tourism = lexicon.facts["tourism"]
    if normaliser is None or tourism.search(text, start, end) is None:
        return []
    taken: list[Anchor] = [*amounts, *changes, *context.periods_of(sentence)]
    found: list[AmountMatch] = []
    for number in normaliser.bare_numbers(text, start, end):
        if any(t.start < number.end and number.start < t.end for t in taken):
            continue
        people = _demonym_after(context, number, sentence)
        if people is not None:
            found.append(people)
            continue
        if not _counts_people(text, lexicon, number, amounts, start):
            continue
        lead = lexicon.count_lead.search(text, start, number.start)
        listed = found or any(a.unit == "people" and a.end <= number.start for a in amounts)
        continued = listed and re.search(r"(?:,|\band)\s*$", text[start : number.start])
        if lead is None and not continued:
            continue
        if lexicon.count_follow.match(text, number.end, end) is None:
            continue
        found.append(replace(number, unit="people"))
    return found


def _counts_people(
    text: str, lexicon: Lexicon, number: AmountMatch, amounts: list[AmountMatch], start: int
) -> bool:
    """The nearest fact word before ``number`` is a tourist word, and no figure in another
    unit stands between them."""
    best: tuple[int, Kind] | None = None
    for kind in KINDS:
        match = nearest(lexicon.facts[kind], text, start, number.start, number.start)
        if match is not None and (best is None or match.end() > best[0]):
            best = (match.end(), kind)
    if best is None or best[1] != "tourism":
        return False
    return not any(
        best[0] <= a.start and a.end <= number.start and a.unit != "people" for a in amounts
    )


def _demonym_after(
    context: DocumentContext, number: AmountMatch, sentence: Sentence
) -> AmountMatch | None:
    """ "31,000 Kazakhstanis": a number right before a plural demonym counts people."""
    text = context.text
    for ent in context.ents.between(number.end, min(sentence.end_char, number.end + 40)):
        if ent.label_ != "NORP" or not context.ents.text(ent).endswith("s"):
            continue
        if not text[number.end : ent.start_char].isspace():
            return None
        return replace(
            number, end=ent.end_char, text=text[number.start : ent.end_char], unit="people"
        )
    return None
