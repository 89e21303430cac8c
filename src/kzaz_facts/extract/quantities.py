"""Sentence -> drafts of quantitative facts: clauses, kind, modality, scope, route, lone changes.

Each figure of a sentence gets its own clause (the text between the separators around it),
the trigger word nearest to it (trade, tourism, cargo, investment), the change and period of
its clause, and a modality. A change stated without a figure ("cargo tripled") becomes a
draft of its own. Parties come from ``parties.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span

from kzaz_facts.extract.context import (
    KINDS,
    Anchor,
    Clause,
    DocumentContext,
    Draft,
    Kind,
    Parties,
    Place,
    nearest,
    word_before,
)
from kzaz_facts.extract.parties import PartyFinder
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch, Normaliser, UnitKinds
from kzaz_facts.periods import PeriodMatch, single_year, year_span
from kzaz_facts.records import Modality

MONEY_KINDS: tuple[Kind, ...] = ("trade", "investment")


class QuantityFinder:
    """Drafts the quantitative facts of each sentence of one document."""

    def __init__(
        self,
        context: DocumentContext,
        lexicon: Lexicon,
        units: UnitKinds,
        normaliser: Normaliser | None = None,
    ) -> None:
        """``normaliser``: reads the bare numbers of a clause that counts tourists."""
        self.context = context
        self.normaliser = normaliser
        self.units = units
        self.text = context.text
        self.lexicon = lexicon
        self.parties = PartyFinder(context, lexicon)
        self._separator = lexicon.clause_separator

    def drafts(self, sentence: Span, speaker_country: str | None) -> list[Draft]:
        """The drafts of one sentence; ``speaker_country`` is the country of its speaker."""
        start, end = sentence.start_char, sentence.end_char
        amounts = self.context.amounts_in(start, end)
        changes = self.context.changes_in(start, end)
        counts = self.counts(sentence, amounts, changes)
        if counts:
            amounts = sorted([*amounts, *counts], key=lambda amount: amount.start)
        if not amounts and not changes:
            return []
        periods = [p for p in self.context.periods_of(sentence) if not p.comparison]
        clauses = self.clauses(amounts, start, end)
        drafts: list[Draft] = []
        claimed: set[int] = set()
        previous: Draft | None = None
        for amount, clause in zip(amounts, clauses, strict=True):
            kind = self.kind(amount, sentence)
            if kind is None:
                continue
            draft = self._draft(
                kind, amount, clause, changes, periods, previous, sentence, speaker_country
            )
            if draft.modality == "actual" and self.difference(amount):
                continue  # "174,960 tons less than …": by how much, not how much
            if draft.change is not None:
                claimed.add(id(draft.change))
            drafts.append(draft)
            previous = draft
        self._respectively(drafts, periods, sentence)
        for change in changes:
            if id(change) in claimed or _inside_any(change, amounts):
                continue
            owner = self._owner(change, drafts, amounts)
            if owner is not None:
                owner.change = change
                owner.pieces.append((change.start, change.end))
                continue
            lone = self._change_only(
                change, amounts, changes, periods, sentence, speaker_country, drafts
            )
            if lone is not None:
                drafts.append(lone)
        return drafts

    def _respectively(
        self, drafts: list[Draft], periods: list[PeriodMatch], sentence: Span
    ) -> None:
        """N figures + "respectively" take, in order, the N years named before them: "in
        2018-2019 ($5.1 million and $7.6 million, respectively)", "in 2022 and 2023 … 4,100 and
        5,300 tourists, respectively"."""
        text = self.text
        for word in self.lexicon.respectively.finditer(
            text, sentence.start_char, sentence.end_char
        ):
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
                self._respective_origins(run, sentence.start_char, edge)
            years = _years_before(text, periods, edge, len(run))
            if not years:
                continue
            for draft, period in zip(run, years, strict=True):
                draft.period = period
                if sentence.start_char <= period.start:
                    draft.pieces.append((period.start, period.end))

    def _respective_origins(self, run: list[Draft], start: int, edge: int) -> None:
        """ "Tourists from Kazakhstan and Uzbekistan numbered 4,100 and 2,800, respectively":
        the N origins named together before the N counts, in order."""
        going = self.lexicon.words["visit_destination"]
        places = [p for p in self.context.places_in(start, edge) if p.before not in going]
        named: list[Place] = []
        for place in reversed(places):
            if named and not _LIST_LINK.fullmatch(self.text, place.end, named[0].start):
                break
            named.insert(0, place)
            if len(named) == len(run):
                break
        if len(named) != len(run) or not self.parties.origin(named[0]):
            return
        for draft, place in zip(run, named, strict=True):
            parties = draft.parties
            destination = parties.destination
            if destination == place.canonical:
                destination = None
            destination = destination or self.context.other(place.canonical)
            draft.parties = Parties(
                parties=sorted({n for n in (place.canonical, destination) if n}),
                source=place.canonical,
                destination=destination,
            )

    def _owner(
        self, change: ChangeMatch, drafts: list[Draft], amounts: list[AmountMatch]
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
        gap = self.text[gap_start : change.start]
        if ";" in gap or re.search(r"\b(?:and|while|but|whereas)\b", gap):
            return None
        facts = self.lexicon.facts
        if any(facts[kind].search(gap) for kind in KINDS if kind != draft.kind):
            return None
        return draft

    def clauses(self, amounts: list[AmountMatch], start: int, end: int) -> list[Clause]:
        """Between two figures, the first separator ends one clause and starts the next:
        "$221 million, and in 2019 - $191 million"."""
        clauses = [Clause(start, end) for _ in amounts]
        for i in range(len(amounts) - 1):
            gap_start, gap_end = amounts[i].end, amounts[i + 1].start
            split = self._separator.search(self.text, gap_start, gap_end)
            if split is None:
                clauses[i].right = gap_start
                clauses[i + 1].left = gap_start
            else:
                clauses[i].right = split.start()
                clauses[i + 1].left = split.end()
        return clauses

    def counts(
        self, sentence: Span, amounts: list[AmountMatch], changes: list[ChangeMatch]
    ) -> list[AmountMatch]:
        """Bare numbers that count the tourists their clause names: "the number of tourists
        from Kazakhstan amounted to 4,352", "Uzbekistan at 2,877", "from Kazakhstan: 225,124",
        "31,000 Kazakhstanis visited"; the elliptical "… 12,000 in 2016 and 15,000 in 2017"."""
        start, end = sentence.start_char, sentence.end_char
        tourism = self.lexicon.facts["tourism"]
        if self.normaliser is None or tourism.search(self.text, start, end) is None:
            return []
        text, lexicon = self.text, self.lexicon
        taken: list[Anchor] = [*amounts, *changes, *self.context.periods_of(sentence)]
        found: list[AmountMatch] = []
        for number in self.normaliser.bare_numbers(text, start, end):
            if any(t.start < number.end and number.start < t.end for t in taken):
                continue
            people = self._demonym_after(number, sentence)
            if people is not None:
                found.append(people)
                continue
            if not self._counts_people(number, amounts, start):
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

    def _counts_people(self, number: AmountMatch, amounts: list[AmountMatch], start: int) -> bool:
        """The nearest fact word before ``number`` is a tourist word, and no figure in another
        unit stands between them."""
        best: tuple[int, Kind] | None = None
        for kind in KINDS:
            match = nearest(self.lexicon.facts[kind], self.text, start, number.start, number.start)
            if match is not None and (best is None or match.end() > best[0]):
                best = (match.end(), kind)
        if best is None or best[1] != "tourism":
            return False
        return not any(
            best[0] <= a.start and a.end <= number.start and a.unit != "people" for a in amounts
        )

    def _demonym_after(self, number: AmountMatch, sentence: Span) -> AmountMatch | None:
        """ "31,000 Kazakhstanis": a number right before a plural demonym counts people."""
        for ent in self.context.ents.between(number.end, min(sentence.end_char, number.end + 40)):
            if ent.label_ != "NORP" or not ent.text.endswith("s"):
                continue
            if not self.text[number.end : ent.start_char].isspace():
                return None
            return replace(
                number, end=ent.end_char, text=self.text[number.start : ent.end_char], unit="people"
            )
        return None

    def difference(self, amount: AmountMatch) -> bool:
        """ "decreased by 1,200 tons", "a decrease of 157,600 tons", "174,960 tons less"."""
        found = self.normaliser
        if found is None:
            return False
        before = found.difference_before.search(self.text, max(0, amount.start - 40), amount.start)
        return before is not None or found.difference_after.match(self.text, amount.end) is not None

    def kind(self, amount: AmountMatch, sentence: Span) -> Kind | None:
        """The fact kind of a figure: its unit's, or the nearest money trigger's."""
        start, end = sentence.start_char, sentence.end_char
        facts = self.lexicon.facts
        unit = amount.unit or ""
        count_kind = self.units.facts.get(unit)
        if count_kind is not None:
            if count_kind == "tourism":
                return "tourism" if facts["tourism"].search(self.text, start, end) else None
            ents = self.context.ents.of(sentence)
            if any(ent.label_ == "ROUTE" for ent in ents) or facts["cargo"].search(
                self.text, start, end
            ):
                return "cargo"
            return None
        if unit and unit not in self.units.currencies:
            return None  # a measure that no fact is counted in ("barrels", "cubic metres")
        best: tuple[int, Kind] | None = None
        for kind in MONEY_KINDS:
            match = nearest(facts[kind], self.text, start, end, amount.start)
            if match is None:
                continue
            before = match.end() <= amount.start
            distance = amount.start - match.end() if before else 2 * (match.start() - amount.end)
            if best is None or distance < best[0]:
                best = (distance, kind)
        return best[1] if best else None

    def _draft(
        self,
        kind: Kind,
        amount: AmountMatch,
        clause: Clause,
        changes: list[ChangeMatch],
        periods: list[PeriodMatch],
        previous: Draft | None,
        sentence: Span,
        speaker_country: str | None,
    ) -> Draft:
        # Only a trigger in the figure's own clause joins the evidence: "…, while the
        # countries aim to bring this figure to $1 billion" quotes the goal clause alone.
        trigger = nearest(
            self.lexicon.facts[kind], self.text, clause.left, clause.right, amount.start
        )
        change = own_change(amount, clause, changes)
        period = own_period(amount, clause, periods)
        modality, cue = self.modality(sentence, clause.left, amount.start)
        pieces = [(amount.start, amount.end)]
        for part in (trigger, change, period, cue):
            if part is None:
                continue
            span = (
                (part.start(), part.end()) if isinstance(part, re.Match) else (part.start, part.end)
            )
            if sentence.start_char <= span[0] and span[1] <= sentence.end_char:
                pieces.append(span)
        if (
            period is None
            and previous is not None
            and previous.kind == kind
            and previous.modality == modality
        ):
            period = previous.period
        draft = Draft(kind, modality, amount, change, period, pieces, Parties())
        return self._complete(draft, amount, clause, sentence, previous, speaker_country)

    def _complete(
        self,
        draft: Draft,
        anchor: Anchor,
        clause: Clause,
        sentence: Span,
        previous: Draft | None,
        speaker_country: str | None,
    ) -> Draft:
        """Fill what depends on the kind of fact: target kind, parties, scope, route."""
        if draft.modality == "target":
            # "increase … by $300 million" is an increase; "bring … to $1 billion" a level;
            # a lone change ("can be increased five times") is always an increase.
            by = word_before(self.text, anchor.start) == "by"
            draft.target_kind = "increase" if draft.amount is None or by else "level"
        parties = self.parties
        if draft.kind == "trade":
            inherited = (
                previous.parties if previous is not None and previous.kind == "trade" else None
            )
            draft.parties = parties.trade(anchor, clause, sentence, inherited, speaker_country)
            draft.scope = self.scope(clause.left, anchor.start) or "total"
        elif draft.kind == "tourism":
            inherited = (
                previous.parties if previous is not None and previous.kind == "tourism" else None
            )
            draft.parties = parties.tourism(anchor, clause, sentence, inherited)
        elif draft.kind == "investment":
            draft.parties = parties.investment(clause, sentence)
        else:
            draft.route = self.route(sentence, anchor.start)
        return draft

    def modality(
        self, sentence: Span, left: int, position: int
    ) -> tuple[Modality, re.Match[str] | None]:
        """``target`` when a goal cue leads to the figure, with the cue for the evidence."""
        cues = list(self.lexicon.modality["target"].finditer(self.text, left, position))
        if cues:
            # A cue inside a period is a word of the date: "In January-May 2023" holds no goal.
            periods = self.context.periods_in(left, position)
            cues = [
                cue
                for cue in cues
                if not any(p.start <= cue.start() and cue.end() <= p.end for p in periods)
            ]
        if not cues:
            return "actual", None
        target = cues[-1]
        for actual in self.lexicon.modality["actual"].finditer(self.text, target.end(), position):
            # "can be increased" stays a goal; "has increased", "amounted" after a cue do not.
            if word_before(self.text, actual.start()) != "be":
                return "actual", None
        return "target", target

    def scope(self, start: int, end: int) -> str | None:
        best: tuple[int, str] | None = None
        for scope, pattern in self.lexicon.scopes.items():
            for match in pattern.finditer(self.text, start, end):
                if best is None or match.start() > best[0]:
                    best = (match.start(), scope)
        return best[1] if best else None

    def route(self, sentence: Span, position: int) -> str | None:
        """The route entity nearest the figure, or the last one named before "the corridor"."""
        ents = self.context.ents
        routes = [ent for ent in ents.of(sentence) if ent.label_ == "ROUTE"]
        if routes:
            closest = min(routes, key=lambda ent: abs(ent.start_char - position))
            return closest.ent_id_ or closest.text
        if self.lexicon.route_nouns.search(sentence.text):
            earlier = [
                ent
                for ent in ents.all
                if ent.label_ == "ROUTE" and ent.end_char <= sentence.start_char
            ]
            if earlier:
                return earlier[-1].ent_id_ or earlier[-1].text
        return None

    def _change_only(
        self,
        change: ChangeMatch,
        amounts: list[AmountMatch],
        changes: list[ChangeMatch],
        periods: list[PeriodMatch],
        sentence: Span,
        speaker_country: str | None,
        drafts: list[Draft],
    ) -> Draft | None:
        """A change with no figure. Its fact word may stand in an earlier list item, but its
        tourist parties come from its own item, which starts after the previous change:
        "tourists from Kazakhstan (up 150 percent), Uzbekistan (up 55 percent)"."""
        left = max([a.end for a in amounts if a.end <= change.start], default=sentence.start_char)
        best: tuple[int, Kind, re.Match[str]] | None = None
        for kind in KINDS:
            match = nearest(self.lexicon.facts[kind], self.text, left, change.start, change.start)
            if match is not None and (best is None or match.end() > best[2].end()):
                best = (match.end(), kind, match)
        if best is None:
            return None
        _, kind, trigger = best
        modality, _ = self.modality(sentence, left, change.start)
        clause = Clause(left, sentence.end_char)
        period = own_period(change, clause, periods)
        pieces = [(trigger.start(), trigger.end()), (change.start, change.end)]
        if period is not None:
            pieces.append((period.start, period.end))
        draft = Draft(kind, modality, None, change, period, pieces, Parties())
        if kind != "tourism":
            return self._complete(draft, change, clause, sentence, None, speaker_country)
        item = Clause(
            max([c.end for c in changes if c.end <= change.start], default=left),
            min(
                [c.start for c in changes if c.start >= change.end]
                + [a.start for a in amounts if a.start >= change.end],
                default=sentence.end_char,
            ),
        )
        earlier = [d for d in drafts if d.kind == "tourism" and _starts(d) < change.start]
        previous = earlier[-1] if earlier else None
        return self._complete(draft, change, item, sentence, previous, speaker_country)


def own_change(
    amount: AmountMatch, clause: Clause, changes: list[ChangeMatch]
) -> ChangeMatch | None:
    """The change right after the figure in its clause, else the last one before it."""
    after = [c for c in changes if amount.end <= c.start and c.end <= clause.right]
    if after:
        return after[0]
    before = [c for c in changes if clause.left <= c.start and c.end <= amount.start]
    return before[-1] if before else None


def own_period(anchor: Anchor, clause: Clause, periods: list[PeriodMatch]) -> PeriodMatch | None:
    """The period nearest to the figure (or lone change) within its clause."""
    best: PeriodMatch | None = None
    best_distance = 0
    for period in periods:
        if clause.left <= period.start and period.end <= anchor.start:
            distance = anchor.start - period.end
        elif anchor.end <= period.start and period.end <= clause.right:
            distance = period.start - anchor.end
        else:
            continue
        if best is None or distance < best_distance:
            best, best_distance = period, distance
    return best


_LIST_LINK = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)")
_LIST_END = re.compile(r"\s*,?\s*")


_NEXT_YEAR = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:in\s+)?((?:19|20)\d\d)\b")
_LAST_YEAR = re.compile(r"\b((?:19|20)\d\d)$")


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


def _starts(draft: Draft) -> int:
    anchor = draft.amount or draft.change
    return anchor.start if anchor is not None else 0


def _inside_any(change: ChangeMatch, amounts: list[AmountMatch]) -> bool:
    return any(a.start <= change.start and change.end <= a.end for a in amounts)
