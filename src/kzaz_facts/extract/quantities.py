"""Sentence -> drafts of quantitative facts: clauses, kind, modality, scope, route, lone changes.

Each figure of a sentence gets its own clause (the text between the separators around it),
the trigger word nearest to it (trade, tourism, cargo, investment), the change and period of
its clause, and a modality. A change stated without a figure ("cargo tripled") becomes a
draft of its own. Parties come from ``parties.py``.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from kzaz_facts.extract.context import (
    KINDS,
    Anchor,
    Clause,
    DocumentContext,
    Draft,
    Kind,
    Parties,
    nearest,
    word_before,
)
from kzaz_facts.extract.parties import PartyFinder
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch, UnitKinds
from kzaz_facts.periods import PeriodMatch
from kzaz_facts.records import Modality

MONEY_KINDS: tuple[Kind, ...] = ("trade", "investment")


class QuantityFinder:
    """Drafts the quantitative facts of each sentence of one document."""

    def __init__(self, context: DocumentContext, lexicon: Lexicon, units: UnitKinds) -> None:
        self.context = context
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
            if draft.change is not None:
                claimed.add(id(draft.change))
            drafts.append(draft)
            previous = draft
        for change in changes:
            if id(change) in claimed or _inside_any(change, amounts):
                continue
            lone = self._change_only(change, amounts, periods, sentence, speaker_country)
            if lone is not None:
                drafts.append(lone)
        return drafts

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
            draft.parties = parties.tourism(clause, sentence)
        elif draft.kind == "investment":
            earlier = (
                previous.parties if previous is not None and previous.kind == "investment" else None
            )
            draft.parties = parties.investment(anchor, clause, sentence, earlier)
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
        periods: list[PeriodMatch],
        sentence: Span,
        speaker_country: str | None,
    ) -> Draft | None:
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
        return self._complete(draft, change, clause, sentence, None, speaker_country)


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


def _inside_any(change: ChangeMatch, amounts: list[AmountMatch]) -> bool:
    return any(a.start <= change.start and change.end <= a.end for a in amounts)
