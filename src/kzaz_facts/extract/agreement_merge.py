"""One record per agreement of a document: the same agreement named twice is merged.

Two names are the same agreement when most of their identifying words (cut to four
letters) agree; the mention with the best date is kept.
"""

from __future__ import annotations

import re

from kzaz_facts.records import AgreementFact

_LETTERS = re.compile(r"[a-z]+")
_AGO = re.compile(r"\bago\b", re.IGNORECASE)

MENTIONED = "mentioned"
"""The action of a named agreement the sentence refers to without saying what was done."""


def agreement_key(name: str, stop_words: frozenset[str]) -> frozenset[str]:
    """The words that identify an agreement's name, cut to four letters.

    >>> sorted(agreement_key("the Agreement on Transport", frozenset({"the", "on"})))
    ['agre', 'tran']
    """
    words = _LETTERS.findall(name.lower())
    return frozenset(word[:4] for word in words if word not in stop_words and len(word) > 2)


Seen = list[tuple[frozenset[str], AgreementFact, int | None]]


def merge_agreement(
    seen: Seen, fact: AgreementFact, stop_words: frozenset[str], group: int | None = None
) -> None:
    """The same agreement named twice in one document is reported once, with the best date.

    ``group``: the list the fact is an item of; two items of one list are never the same.
    """
    key = agreement_key(fact.attributes.name, stop_words)
    for index, (other_key, other, other_group) in enumerate(seen):
        if group is not None and group == other_group:
            continue
        union = key | other_key
        if union and len(key & other_key) / len(union) >= 0.7:
            if _date_quality(fact) > _date_quality(other):
                seen[index] = (key, fact, group)
            return
    seen.append((key, fact, group))


def _date_quality(fact: AgreementFact) -> tuple[int, int, bool, bool]:
    """Prefer the mention with the narrowest date, then a named date, then a place, then
    one that says what was done."""
    period = fact.period
    acted = fact.attributes.action != MENTIONED
    if period is None or period.start is None or period.end is None:
        return 0, 0, fact.attributes.place is not None, acted
    days = (period.end - period.start).days
    precision = 3 if days < 32 else 2 if days < 370 else 1
    named = 0 if _AGO.search(period.text) else 1
    return precision, named, fact.attributes.place is not None, acted
