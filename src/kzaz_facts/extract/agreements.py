"""Sentence -> agreements signed, adopted or planned: the document's name, date and place.

An agreement needs a head word ("agreement", "memorandum", "roadmap") and an action word
("signed", "adopted") in one sentence. Its name runs left over capitalised words or up to
two lowercase modifiers, and right over a complement ("on cooperation in transport") up to
where the setting of the signing starts ("in Astana", "on Tuesday").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

from kzaz_facts.extract.context import DocumentContext, word_before
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.periods import PeriodMatch, year_span
from kzaz_facts.records import AgreementFact, YearSpan

_WORD = re.compile(r"[\w’'-]+")
_LETTERS = re.compile(r"[a-z]+")
_AGO = re.compile(r"\bago\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AgreementDraft:
    """An agreement before it becomes a record: offsets into the body text."""

    name_start: int
    name_end: int
    action: re.Match[str]
    signed: PeriodMatch | None
    covers: YearSpan | None
    place: str | None
    parties: list[str]


class AgreementFinder:
    """Finds the agreements of each sentence of one document."""

    def __init__(
        self, context: DocumentContext, lexicon: Lexicon, when_words: frozenset[str]
    ) -> None:
        self.context = context
        self.text = context.text
        self.lexicon = lexicon
        self.words = lexicon.words
        self.when_words = when_words
        self._complement = lexicon.complement_lead

    def drafts(self, sentence: Span) -> list[AgreementDraft]:
        start, end = sentence.start_char, sentence.end_char
        actions = list(self.lexicon.agreement_actions.finditer(self.text, start, end))
        if not actions:
            return []
        found: list[AgreementDraft] = []
        taken_until = start
        for head in self.lexicon.agreement_heads.finditer(self.text, start, end):
            if head.start() < taken_until:
                continue
            name_span = self.name(head, start, end)
            if name_span is None:
                continue
            name_start, name_end = name_span
            taken_until = name_end
            action = min(actions, key=lambda m: abs(m.start() - head.start()))
            found.append(self._draft(sentence, name_start, name_end, action))
        return found

    def name(self, head: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        """Where the agreement's name starts and ends, or None when the head names nothing."""
        text = self.text
        generic = self.lexicon.agreement_generic
        name_stop = self.words["name_stop"]
        name_start = head.start()
        capitalised = text[head.start()].isupper()
        modifiers = 0
        # Left: capitalised words ("Comprehensive Program") or up to two lowercase modifiers
        # ("strategic declaration"), never across a determiner or a verb of signing.
        for word in reversed(list(_WORD.finditer(text, start, head.start()))):
            between = text[word.end() : name_start]
            if between.strip() not in {"", "-"}:
                break
            token = word.group(0)
            lower = token.lower()
            if lower in generic:
                return None
            if lower in name_stop or lower in self.lexicon.actions:
                break
            if token[:1].isupper():
                capitalised = True
            elif modifiers >= 2 or capitalised:
                break
            else:
                modifiers += 1
            name_start = word.start()
        name_end = head.end()
        complement = self._complement.match(text, name_end, end)
        if complement is not None:
            position = name_end
            for word in _WORD.finditer(text, name_end, end):
                between = text[position : word.start()]
                if between.strip() not in {"", "-", "–"}:
                    break
                lower = word.group(0).lower()
                if lower in self.words["complement_stop"] or self._starts_setting(
                    lower, word.end(), end
                ):
                    break
                position = word.end()
            name_end = position
        if complement is None and modifiers == 0 and not capitalised:
            return None
        if complement is None and name_start == head.start() and text[name_start].isupper():
            return None  # "the Declaration" alone names nothing
        return name_start, name_end

    def _starts_setting(self, word: str, position: int, end: int) -> bool:
        """ "in Astana", "on Tuesday": where and when it was signed, not part of the name."""
        if word not in self.words["setting_lead"]:
            return False
        following = _WORD.search(self.text, position, end)
        if following is None:
            return False
        if following.group(0).lower() in self.when_words:
            return True
        ent = next(iter(self.context.ents.between(following.start(), following.end())), None)
        return (
            ent is not None
            and ent.label_ == "GPE"
            and self.context.gazetteer.kind(ent.ent_id_ or ent.text) == "city"
        )

    def _draft(
        self, sentence: Span, name_start: int, name_end: int, action: re.Match[str]
    ) -> AgreementDraft:
        context = self.context
        covers = None
        signed: PeriodMatch | None = None
        for period in context.periods_of(sentence):
            span = year_span(period)
            inside = name_start <= period.start and period.end <= name_end
            follows = period.text.lower().startswith("for ") and 0 <= period.start - name_end <= 1
            if span is not None and (inside or follows):
                covers = YearSpan(start_year=span[0], end_year=span[1], text=period.text)
                continue
            if period.comparison or period.future or inside:
                continue
            if signed is None or abs(period.start - action.start()) < abs(
                signed.start - action.start()
            ):
                signed = period
        place = None
        for ent in context.ents.of(sentence):
            canonical = ent.ent_id_ or ent.text
            if (
                ent.label_ == "GPE"
                and context.gazetteer.kind(canonical) == "city"
                and word_before(self.text, ent.start_char) in self.words["place_lead"]
            ):
                place = canonical
                break
        countries = list(
            dict.fromkeys(
                p.canonical for p in context.places_in(sentence.start_char, sentence.end_char)
            )
        )
        parties = sorted(countries[:2]) if len(countries) >= 2 else list(context.pair)
        return AgreementDraft(name_start, name_end, action, signed, covers, place, parties)


def agreement_key(name: str, stop_words: frozenset[str]) -> frozenset[str]:
    """The words that identify an agreement's name, cut to four letters.

    >>> sorted(agreement_key("the Agreement on Transport", frozenset({"the", "on"})))
    ['agre', 'tran']
    """
    words = _LETTERS.findall(name.lower())
    return frozenset(word[:4] for word in words if word not in stop_words and len(word) > 2)


def merge_agreement(
    seen: list[tuple[frozenset[str], AgreementFact]],
    fact: AgreementFact,
    stop_words: frozenset[str],
) -> None:
    """The same agreement named twice in one document is reported once, with the best date."""
    key = agreement_key(fact.attributes.name, stop_words)
    for index, (other_key, other) in enumerate(seen):
        union = key | other_key
        if union and len(key & other_key) / len(union) >= 0.7:
            if _date_quality(fact) > _date_quality(other):
                seen[index] = (key, fact)
            return
    seen.append((key, fact))


def _date_quality(fact: AgreementFact) -> tuple[int, int, bool]:
    """Prefer the mention with the narrowest date, then a named date, then a place."""
    period = fact.period
    if period is None or period.start is None or period.end is None:
        return 0, 0, fact.attributes.place is not None
    days = (period.end - period.start).days
    precision = 3 if days < 32 else 2 if days < 370 else 1
    named = 0 if _AGO.search(period.text) else 1
    return precision, named, fact.attributes.place is not None
