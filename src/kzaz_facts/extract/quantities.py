"""Sentence -> drafts of quantitative facts: clauses, kind, modality, scope, route, lone changes.

Each figure of a sentence gets its own clause (the text between the separators around it),
the trigger word nearest to it (trade, tourism, cargo, investment), the change and period of
its clause, and a modality. A change stated without a figure ("cargo tripled") becomes a
draft of its own. Parties come from ``parties.py``; clause splitting from ``clauses.py``;
bare tourist counts from ``tourist_counts.py``; "respectively" lists from ``respectively.py``;
what one sentence hands on to the next from ``next_sentence.py``.
"""

from __future__ import annotations

import re

from kzaz_facts.extract.clauses import boundary, own_change, own_period, split_clauses
from kzaz_facts.extract.context import (
    KINDS,
    Anchor,
    Clause,
    DocumentContext,
    Draft,
    Kind,
    Parties,
    Sentence,
    nearest,
    word_before,
)
from kzaz_facts.extract.next_sentence import MONEY_KINDS, SentenceLinks, anchor_start
from kzaz_facts.extract.parties import PartyFinder
from kzaz_facts.extract.period_context import (
    PeriodContext,
    PeriodCues,
    SentencePeriods,
    main_period,
)
from kzaz_facts.extract.respectively import change_owner, pair_respectively
from kzaz_facts.extract.tourist_counts import tourist_counts
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch, Normaliser, UnitKinds
from kzaz_facts.periods import PeriodMatch
from kzaz_facts.records import Modality


class QuantityFinder:
    """Drafts the quantitative facts of each sentence of one document."""

    def __init__(
        self,
        context: DocumentContext,
        lexicon: Lexicon,
        units: UnitKinds,
        normaliser: Normaliser | None = None,
        cues: PeriodCues | None = None,
    ) -> None:
        """``normaliser``: reads the bare numbers of a clause that counts tourists; ``cues``:
        the period word lists compiled once (compiled here when not given)."""
        self.context = context
        self.normaliser = normaliser
        self.units = units
        self.text = context.text
        self.lexicon = lexicon
        self.parties = PartyFinder(context, lexicon)
        self.periods = PeriodContext(context, cues if cues is not None else PeriodCues(lexicon))
        self._separator = lexicon.clause_separator
        self.links = SentenceLinks(context, lexicon, units)

    def drafts(self, sentence: Sentence, speaker_country: str | None) -> list[Draft]:
        """The drafts of one sentence; ``speaker_country`` is the country of its speaker."""
        if self.context.quiet(sentence):
            # No amount or change starts in a quiet sentence, so both lists below would be
            # empty, and ``tourist_counts`` reads nothing without a tourist word in it, which
            # is the very search ``quiet`` was told about: the return below, before any state
            # is touched.
            return []
        start, end = sentence.start_char, sentence.end_char
        amounts = [
            a for a in self.context.amounts_in(start, end) if a.start not in self.links.given
        ]
        changes = [
            c
            for c in self.context.changes_in(start, end)
            if c.start not in self.links.given_changes
        ]
        counts = tourist_counts(
            self.context, self.lexicon, self.normaliser, sentence, amounts, changes
        )
        if counts:
            amounts = sorted([*amounts, *counts], key=lambda amount: amount.start)
        if not amounts and not changes:
            return []
        found = self.periods.of(sentence)
        clauses = split_clauses(self.text, self._separator, amounts, start, end, found.own)
        drafts: list[Draft] = []
        claimed: set[int] = set()
        previous: Draft | None = None
        # the last draft whose period a next figure may inherit
        carried: Draft | None = self.links.carried(sentence, found)
        for amount, clause in zip(amounts, clauses, strict=True):
            kind = self.kind(amount, sentence)
            if kind is None:
                continue
            draft, baseline = self._draft(
                kind, amount, clause, changes, found, previous, carried, sentence, speaker_country
            )
            if draft.modality == "actual" and self.difference(amount):
                continue  # "174,960 tons less than …": by how much, not how much
            if baseline:
                _give_change_back(draft, carried)
            if draft.change is not None:
                claimed.add(id(draft.change))
            if carried is not None and carried.change is not None:
                claimed.add(id(carried.change))
            drafts.append(draft)
            previous = draft
            if not baseline:
                carried = draft
        self.links.hand_on(sentence, carried)
        pair_respectively(self.context, self.lexicon, self.parties, drafts, found.own, sentence)
        anchors: list[AmountMatch | ChangeMatch] = sorted(
            [*amounts, *changes], key=lambda anchor: anchor.start
        )
        for change in changes:
            if id(change) in claimed or _inside_any(change, amounts):
                continue
            owner = change_owner(self.text, self.lexicon, change, drafts, amounts)
            if owner is not None:
                owner.change = change
                owner.pieces.append((change.start, change.end))
                continue
            lone = self._change_only(
                change, amounts, anchors, changes, found, sentence, speaker_country, drafts
            )
            if lone is not None:
                drafts.append(lone)
        self.links.complete_from_next(drafts, sentence)
        self.links.change_from_next(drafts, sentence)
        return drafts

    def difference(self, amount: AmountMatch) -> bool:
        """ "decreased by 1,200 tons", "a decrease of 157,600 tons", "174,960 tons less"."""
        found = self.normaliser
        if found is None:
            return False
        before = found.difference_before.search(self.text, max(0, amount.start - 40), amount.start)
        return before is not None or found.difference_after.match(self.text, amount.end) is not None

    def kind(self, amount: AmountMatch, sentence: Sentence) -> Kind | None:
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
        found: SentencePeriods,
        previous: Draft | None,
        carried: Draft | None,
        sentence: Sentence,
        speaker_country: str | None,
    ) -> tuple[Draft, bool]:
        """The draft of one figure, and whether its period is a comparison's baseline."""
        # Only a trigger in the figure's own clause joins the evidence: "…, while the
        # countries aim to bring this figure to $1 billion" quotes the goal clause alone.
        trigger = nearest(
            self.lexicon.facts[kind], self.text, clause.left, clause.right, amount.start
        )
        change = own_change(amount, clause, changes)
        modality, cue = self.modality(sentence, clause.left, amount.start)
        period, baseline = self._period(amount, clause, found, carried)
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
            and carried is not None
            and carried.kind == kind
            and carried.modality == modality
            and not self.periods.present_in(found, clause)
            and not self.periods.comparison_before(found, amount, clause)
        ):
            period = carried.period  # inherited: not part of this figure's evidence
        draft = Draft(kind, modality, amount, change, period, pieces, Parties())
        return self._complete(draft, amount, clause, sentence, previous, speaker_country), baseline

    def _period(
        self, anchor: Anchor, clause: Clause, found: SentencePeriods, carried: Draft | None
    ) -> tuple[PeriodMatch | None, bool]:
        """The figure's own period, else the comparison it is the baseline of (flagged)."""
        own = own_period(anchor, clause, found.own)
        if own is not None:
            return own, False
        main = main_period(found, anchor.start)
        if main is None and carried is not None:
            main = carried.period
        baseline = self.periods.baseline(anchor, clause, found, main)
        return baseline, baseline is not None

    def _complete(
        self,
        draft: Draft,
        anchor: Anchor,
        clause: Clause,
        sentence: Sentence,
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
            earlier = (
                previous.parties if previous is not None and previous.kind == "investment" else None
            )
            draft.parties = parties.investment(anchor, clause, sentence, earlier)
        else:
            draft.route = self.route(sentence, anchor.start)
        return draft

    def modality(
        self, sentence: Sentence, left: int, position: int
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

    def route(self, sentence: Sentence, position: int) -> str | None:
        """The route entity nearest the figure, or the last one named before "the corridor"."""
        ents = self.context.ents
        routes = [ent for ent in ents.of(sentence) if ent.label_ == "ROUTE"]
        if routes:
            closest = min(routes, key=lambda ent: abs(ent.start_char - position))
            return ents.canonical(closest)
        if self.lexicon.route_nouns.search(self.context.span_text(sentence)):
            earlier = [
                ent
                for ent in ents.all
                if ent.label_ == "ROUTE" and ent.end_char <= sentence.start_char
            ]
            if earlier:
                return ents.canonical(earlier[-1])
        return None

    def _change_only(
        self,
        change: ChangeMatch,
        amounts: list[AmountMatch],
        anchors: list[AmountMatch | ChangeMatch],
        changes: list[ChangeMatch],
        found: SentencePeriods,
        sentence: Sentence,
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
        period = self._change_period(change, anchors, clause, found, sentence)
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
        earlier = [d for d in drafts if d.kind == "tourism" and anchor_start(d) < change.start]
        previous = earlier[-1] if earlier else None
        return self._complete(draft, change, item, sentence, previous, speaker_country)

    def _change_period(
        self,
        change: ChangeMatch,
        anchors: list[AmountMatch | ChangeMatch],
        wide: Clause,
        found: SentencePeriods,
        sentence: Sentence,
    ) -> PeriodMatch | None:
        """The period of a change stated alone: its own clause's (split from the figures and
        changes around it as figures are), else the nearest in the rest of the sentence."""
        index = next(i for i, anchor in enumerate(anchors) if anchor is change)
        start, end = sentence.start_char, sentence.end_char
        clause = Clause(start, end)
        if index > 0:
            clause.left = boundary(
                self.text, self._separator, anchors[index - 1].end, change.start, found.own
            )[1]
        if index + 1 < len(anchors):
            clause.right = boundary(
                self.text, self._separator, change.end, anchors[index + 1].start, found.own
            )[0]
        own = own_period(change, clause, found.own)
        if own is not None or self.periods.present_in(found, clause):
            return own
        return own_period(change, wide, found.own)


def _inside_any(change: ChangeMatch, amounts: list[AmountMatch]) -> bool:
    return any(a.start <= change.start and change.end <= a.end for a in amounts)


def _give_change_back(baseline: Draft, main: Draft | None) -> None:
    """A change before a baseline figure is the change of the figure compared: "22,254
    tourists ..., which is 106 percent higher than the same period in 2023 (10,810 people)".
    It goes to that figure when it has none; else it is left for a change stated alone."""
    change, amount = baseline.change, baseline.amount
    if change is None or amount is None or change.end > amount.start:
        return
    baseline.change = None
    baseline.pieces = [piece for piece in baseline.pieces if piece != (change.start, change.end)]
    if main is not None and main.change is None and main.kind == baseline.kind:
        main.change = change
        main.pieces.append((change.start, change.end))
