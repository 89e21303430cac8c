"""Which period a figure gets from its surroundings when its own clause names none.

The pipeline finds the period phrases of a sentence; this module decides what they mean for
its figures:

* "a year earlier" is a year before the period named before it (found as for "this period");
* a date tied to a speech verb ("said on Oct. 12") is when it was said, not a figure's period;
* a period word that refers back ("during this period", "in the reporting period") takes the
  period named before it: in its sentence, its paragraph or the paragraph before;
* a present-time word ("now", "currently") stops a figure from inheriting the period of the
  figure before it, and is itself no period;
* a figure that is the baseline of a comparison ("compared to the same period of 2019
  (201,280 tons)", "than in 2018 (696,150 tons)") takes the comparison's period: "the same
  period of 2019" is the months of the main period in 2019, "the same period of the previous
  year" (or "a year earlier") those months a year before the main period, an explicit year
  that year.

The words are data (``triggers/words.jsonl``: period_anaphora, period_anaphora_lead,
present_time, present_lead, same_period, previous_year, year_earlier, speech_date_lead,
baseline_lead, coordination), compiled once in ``PeriodCues``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from kzaz_facts.extract.context import Anchor, Clause, DocumentContext, Sentence
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.period_dates import Meaning
from kzaz_facts.periods import PeriodMatch, resolve
from kzaz_facts.scan import compile_words, words_pattern

# Any fixed day: resolving against it tells a one-day period ("on March 10") from a longer one.
_ANY_DAY = date(2001, 6, 15)
# How many words may stand between a speech verb and its date ("told reporters on Oct. 12").
_SPEECH_GAP = 4
# Only an opening bracket between a comparison period and its baseline figure.
_OPENING = re.compile(r"\s*[(\[]\s*")


@dataclass(frozen=True, slots=True)
class SentencePeriods:
    """The periods of one sentence, sorted: those a figure may take as its own (anaphora
    already resolved), the comparison baselines, and the spans of present-time words."""

    own: list[PeriodMatch]
    comparisons: list[PeriodMatch]
    present: list[tuple[int, int]]


class PeriodCues:
    """The word lists periods are read with in context, compiled once (per ``Extractor``)."""

    def __init__(self, lexicon: Lexicon) -> None:
        words = lexicon.words
        leads = words_pattern(words["period_anaphora_lead"])
        self.anaphora = re.compile(
            rf"{leads}\s+{words_pattern(words['period_anaphora'])}", re.IGNORECASE
        )
        self.present = compile_words(words["present_time"])
        # The words that may stand around a present-time word in a period that is only that
        # word ("as of today").
        self.present_leads = words["present_lead"]
        self.same = compile_words(words["same_period"])
        self.previous_year = compile_words(words["previous_year"])
        self.year_earlier = compile_words(words["year_earlier"])
        # A comparison that names a baseline ("than in 2018", "the same period of 2019"), not
        # an adverb of the change ("year-on-year").
        self.names_baseline = compile_words(words["same_period"] | words["baseline_lead"])
        self.baseline_lead = re.compile(
            rf"{words_pattern(words['baseline_lead'])}\W*$", re.IGNORECASE
        )
        # What closes a comparison's clause before the next figure: a coordinated new clause.
        coordination = words_pattern(words["coordination"], case_sensitive=True)
        self.coordination = re.compile(rf";|,\s*{coordination}")
        self.speech_date_leads = words["speech_date_lead"]
        verbs = lexicon.speech.get("verb")
        verb_source = verbs.pattern if verbs is not None else "(?!)"
        self.speech_before = re.compile(
            rf"(?:{verb_source})(?:\W+[\w.’']+){{0,{_SPEECH_GAP}}}\W*$", re.IGNORECASE
        )
        self.speech_after = re.compile(
            rf"\W*(?:[\w.’']+\W+){{0,{_SPEECH_GAP + 2}}}?(?:{verb_source})", re.IGNORECASE
        )


class PeriodContext:
    """The periods of each sentence of one document, read in their context."""

    def __init__(self, context: DocumentContext, cues: PeriodCues) -> None:
        self.context = context
        self.text = context.text
        self.cues = cues
        self._cache: dict[int, SentencePeriods] = {}

    # -- the periods of a sentence ----------------------------------------------------------
    def of(self, sentence: Sentence) -> SentencePeriods:
        """The periods of ``sentence`` in context (computed once per sentence)."""
        key = sentence.start_char
        found = self._cache.get(key)
        if found is None:
            found = self._read(sentence)
            self._cache[key] = found
        return found

    def _read(self, sentence: Sentence) -> SentencePeriods:
        start, end = sentence.start_char, sentence.end_char
        periods = self.context.periods_of(sentence)
        present = [m.span() for m in self.cues.present.finditer(self.text, start, end)]
        anaphoras = [
            m for m in self.cues.anaphora.finditer(self.text, start, end) if _alone(m, periods)
        ]
        own: list[PeriodMatch] = []
        comparisons: list[PeriodMatch] = []
        for period in periods:
            if period.comparison:
                comparisons.append(period)
            elif not self._said_on(period, sentence) and not self._covered(period, present):
                if self.cues.year_earlier.search(period.text):
                    # "a year earlier" after "last year": a year before that, not the document's
                    main = self._antecedent(period.start, own, sentence)
                    period = self._months_of(period, main, None) or period
                own.append(period)
        for match in anaphoras:
            start, end = match.span()
            own = [period for period in own if not _overlaps(period, start, end)]
            antecedent = self._antecedent(start, own, sentence)
            if antecedent is None:
                continue
            # "over the same period" is no baseline when it refers back.
            comparisons = [p for p in comparisons if not _overlaps(p, start, end)]
            own.append(replace(antecedent, start=start, end=end, text=match.group(0)))
        own.sort(key=lambda period: period.start)
        return SentencePeriods(own, comparisons, present)

    def _antecedent(
        self, position: int, own: list[PeriodMatch], sentence: Sentence
    ) -> PeriodMatch | None:
        """The last period named before ``position``: in its sentence, else its paragraph, else
        the paragraph before (news agencies often give each sentence a paragraph)."""
        before = [period for period in own if period.end <= position]
        if before:
            return before[-1]
        for earlier in self.context.before_in_paragraph(sentence, back=1):
            found = self.of(earlier).own
            if found:
                return found[-1]
        return None

    def _said_on(self, period: PeriodMatch, sentence: Sentence) -> bool:
        """A single day tied to a speech verb: "said on Oct. 12", "On Monday, the minister
        told reporters"."""
        day = resolve(period, _ANY_DAY)
        if day.start is None or day.start != day.end:
            return False
        first = period.text.split(maxsplit=1)[0]
        if not (first[:1].isdigit() or first[:1].isupper() or first in self.cues.speech_date_leads):
            return False  # "according to data as of March 1": the date of the figure
        left = self.text[max(sentence.start_char, period.start - 80) : period.start]
        if self.cues.speech_before.search(left):
            return True
        after = self.cues.speech_after.match(self.text, period.end, sentence.end_char)
        return after is not None and not self.context.amounts_in(period.end, after.end())

    def _covered(self, period: PeriodMatch, present: list[tuple[int, int]]) -> bool:
        """A period that is only a present-time word and its lead ("today", "as of today"), not
        one that names a span around it ("so far this year", "year to date")."""
        for start, end in present:
            if period.start <= start and end <= period.end:
                rest = period.text[: start - period.start] + " " + period.text[end - period.start :]
                if not (set(re.findall(r"\w+", rest.lower())) - self.cues.present_leads):
                    return True
        return False

    # -- the period of one figure -----------------------------------------------------------
    def present_in(self, found: SentencePeriods, clause: Clause) -> bool:
        """Whether a present-time word stands in the clause ("and now it has grown to ...")."""
        return any(clause.left <= s and e <= clause.right for s, e in found.present)

    def comparison_before(self, found: SentencePeriods, anchor: Anchor, clause: Clause) -> bool:
        """Whether a comparison naming a baseline stands in the figure's clause before it, not
        closed by a coordination: "less than in 2018 (696,150 tons)" or "compared with 2022,
        when it stood at $400 million", but not "higher than in 2022, and 41,000 people came
        ..." (there the comparison belongs to the figure before)."""
        return any(
            clause.left <= p.start
            and p.end <= anchor.start
            and self.cues.names_baseline.search(p.text)
            and self.cues.coordination.search(self.text, p.end, anchor.start) is None
            for p in found.comparisons
        )

    def baseline(
        self,
        anchor: Anchor,
        clause: Clause,
        found: SentencePeriods,
        main: PeriodMatch | None,
    ) -> PeriodMatch | None:
        """The comparison period of a figure that is the baseline of a comparison:
        "... compared to the same period of 2019 (201,280 tons)" (right after it, in brackets)
        or "compared to 201,280 tons in the same period of 2019" (a baseline lead before the
        figure, the comparison after it in its clause)."""
        for period in found.comparisons:
            if (
                period.end <= anchor.start
                and _OPENING.fullmatch(self.text, period.end, anchor.start)
                and self.cues.names_baseline.search(period.text)
            ):
                return self._as_baseline(period, main)
        # The lead may be the separator that opened the clause ("..., against $180 million").
        lead = self.cues.baseline_lead.search(self.text, max(0, anchor.start - 40), anchor.start)
        if lead is None:
            return None
        after = [p for p in found.comparisons if anchor.end <= p.start and p.end <= clause.right]
        return self._as_baseline(after[0], main) if after else None

    def _as_baseline(self, comparison: PeriodMatch, main: PeriodMatch | None) -> PeriodMatch:
        """The comparison as a figure's own period. A comparison worded from the period
        compared (``main``) takes its months: "the same period of 2019" in 2019, "the same
        period of the previous year" or "a year earlier" one year before ``main``."""
        own = replace(comparison, comparison=False)
        text = comparison.text
        if self.cues.previous_year.search(text) and not any(ch.isdigit() for ch in text):
            return self._months_of(own, main, None) or own
        if self.cues.same.search(text):
            year = resolve(comparison, None)
            if year.start is None or year.end is None or year.start.year != year.end.year:
                return own
            return self._months_of(own, main, year.start.year) or own
        return own

    def _months_of(
        self, period: PeriodMatch, main: PeriodMatch | None, year: int | None
    ) -> PeriodMatch | None:
        """``period`` read as the months of ``main`` in ``year`` (None: a year before)."""
        if main is None:
            return None
        document = self.context.document
        months = resolve(main, document.date, reference_inferred=document.date_source == "content")
        if months.start is None or months.end is None:
            return None
        first = months.start.year - 1 if year is None else year
        last = first + months.end.year - months.start.year
        if year is None and months.resolved != "explicit" and document.date is not None:
            # Still read against the document date, as the period compared was.
            offset = document.date.year
            meaning = Meaning(
                kind="calendar",
                unit="month",
                month=months.start.month,
                month2=months.end.month,
                year_offset=first - offset,
                year2_offset=last - offset,
            )
        else:
            meaning = Meaning(
                kind="calendar",
                unit="month",
                month=months.start.month,
                month2=months.end.month,
                year=first,
                year2=last,
            )
        return replace(period, _meaning=meaning)


def main_period(found: SentencePeriods, position: int) -> PeriodMatch | None:
    """The last period of the sentence's own before ``position``: what a baseline compares to."""
    before = [period for period in found.own if period.end <= position]
    return before[-1] if before else None


def _overlaps(period: PeriodMatch, start: int, end: int) -> bool:
    return period.start < end and start < period.end


def _alone(match: re.Match[str], periods: list[PeriodMatch]) -> bool:
    """An anaphora counts unless a period found there runs past it: "in the same period of
    2019" names its year, "than in the same period" is a comparison."""
    start, end = match.span()
    return not any(
        _overlaps(period, start, end) and (period.start < start or period.end > end)
        for period in periods
    )
