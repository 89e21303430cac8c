"""Sentence -> drafts of quantitative facts: clauses, kind, modality, scope, route, lone changes.

Each figure of a sentence gets its own clause (the text between the separators around it),
the trigger word nearest to it (trade, tourism, cargo, investment), the change and period of
its clause, and a modality. A change stated without a figure ("cargo tripled") becomes a
draft of its own. Parties come from ``parties.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from kzaz_facts.extract.period_context import PeriodContext, SentencePeriods, main_period
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.normalise import AmountMatch, ChangeMatch, Normaliser, UnitKinds
from kzaz_facts.periods import PeriodMatch, single_year, year_span
from kzaz_facts.records import Modality
from kzaz_facts.scan import phrase_pattern

MONEY_KINDS: tuple[Kind, ...] = ("trade", "investment")
# What may follow the figure that completes a change: the end of its sentence.
_CLOSING = re.compile(r"\s*[.!;]?\s*[\"”’']?\s*")


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
        self.periods = PeriodContext(context, lexicon)
        self._separator = lexicon.clause_separator
        self._completion = re.compile(
            rf"\W*(?:{'|'.join(phrase_pattern(p) for p in sorted(lexicon.words['completion']))})",
            re.IGNORECASE,
        )
        # Figures that completed the change of the sentence before them (start offsets).
        self._given: set[int] = set()
        # Changes that completed the figure of the sentence before them (start offsets).
        self._given_changes: set[int] = set()
        anaphors = sorted(lexicon.words["change_anaphor"])
        self._anaphor = re.compile(
            rf"\b(?:{'|'.join(phrase_pattern(p) for p in anaphors) or '(?!)'})\s+(?:an?\s+)?\Z",
            re.IGNORECASE,
        )
        # The last figure with a period, and where its sentence ends (see _carried).
        self._carry: tuple[int, Draft] | None = None

    def drafts(self, sentence: Span, speaker_country: str | None) -> list[Draft]:
        """The drafts of one sentence; ``speaker_country`` is the country of its speaker."""
        start, end = sentence.start_char, sentence.end_char
        amounts = [a for a in self.context.amounts_in(start, end) if a.start not in self._given]
        changes = [
            c for c in self.context.changes_in(start, end) if c.start not in self._given_changes
        ]
        counts = self.counts(sentence, amounts, changes)
        if counts:
            amounts = sorted([*amounts, *counts], key=lambda amount: amount.start)
        if not amounts and not changes:
            return []
        found = self.periods.of(sentence)
        clauses = self.clauses(amounts, start, end, found.own)
        drafts: list[Draft] = []
        claimed: set[int] = set()
        previous: Draft | None = None
        # the last draft whose period a next figure may inherit
        carried: Draft | None = self._carried(sentence, found)
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
        has_period = carried is not None and carried.period is not None
        self._carry = (sentence.end_char, carried) if carried is not None and has_period else None
        self._respectively(drafts, found.own, sentence)
        anchors: list[AmountMatch | ChangeMatch] = sorted(
            [*amounts, *changes], key=lambda anchor: anchor.start
        )
        for change in changes:
            if id(change) in claimed or _inside_any(change, amounts):
                continue
            owner = self._owner(change, drafts, amounts)
            if owner is not None:
                owner.change = change
                owner.pieces.append((change.start, change.end))
                continue
            lone = self._change_only(
                change, amounts, anchors, changes, found, sentence, speaker_country, drafts
            )
            if lone is not None:
                drafts.append(lone)
        self._complete_from_next(drafts, sentence)
        self._change_from_next(drafts, sentence)
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

    def clauses(
        self, anchors: Sequence[Anchor], start: int, end: int, periods: Sequence[PeriodMatch] = ()
    ) -> list[Clause]:
        """Between two figures, the first separator ends one clause and starts the next:
        "$221 million, and in 2019 - $191 million"; so does a bracket opened before the second
        ("$12.7 million in 2018-2019 ($5.1 million ..."). With no separator a period right
        after the first figure stays with it ("$500 million in 2023 from $400 million")."""
        clauses = [Clause(start, end) for _ in anchors]
        for i in range(len(anchors) - 1):
            right, left = self._boundary(anchors[i].end, anchors[i + 1].start, periods)
            clauses[i].right = right
            clauses[i + 1].left = left
        return clauses

    def _boundary(
        self, gap_start: int, gap_end: int, periods: Sequence[PeriodMatch]
    ) -> tuple[int, int]:
        """Where the clause of the figure before the gap ends and that of the one after starts."""
        split = self._separator.search(self.text, gap_start, gap_end)
        bracket = _unclosed_bracket(self.text, gap_start, gap_end)
        if bracket is not None and (split is None or bracket < split.start()):
            return bracket, bracket + 1
        if split is not None:
            return split.start(), split.end()
        boundary = gap_start
        for period in periods:
            inside = gap_start <= period.start and period.end <= gap_end
            if inside and period.start - gap_start <= gap_end - period.end:
                boundary = period.end
        return boundary, boundary

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
        found: SentencePeriods,
        previous: Draft | None,
        carried: Draft | None,
        sentence: Span,
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

    def _carried(self, sentence: Span, found: SentencePeriods) -> Draft | None:
        """The figure of the sentence just before, when this sentence names no period: a
        breakdown or a follow-up of a figure just stated ("Around 10,744 tourists … visited
        Azerbaijan in February 2024. … the number of tourists from Kazakhstan amounted to
        4,352") is of its period. ``_draft`` takes it only for a figure of the same kind and
        modality with no present-time word or comparison of its own."""
        if self._carry is None or found.own:
            return None
        end, draft = self._carry
        between = self.text[end : sentence.start_char]
        return draft if end <= sentence.start_char and not between.strip() else None

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
        anchors: list[AmountMatch | ChangeMatch],
        changes: list[ChangeMatch],
        found: SentencePeriods,
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
        earlier = [d for d in drafts if d.kind == "tourism" and _anchor_start(d) < change.start]
        previous = earlier[-1] if earlier else None
        return self._complete(draft, change, item, sentence, previous, speaker_country)

    def _change_period(
        self,
        change: ChangeMatch,
        anchors: list[AmountMatch | ChangeMatch],
        wide: Clause,
        found: SentencePeriods,
        sentence: Span,
    ) -> PeriodMatch | None:
        """The period of a change stated alone: its own clause's (split from the figures and
        changes around it as figures are), else the nearest in the rest of the sentence."""
        index = next(i for i, anchor in enumerate(anchors) if anchor is change)
        start, end = sentence.start_char, sentence.end_char
        clause = Clause(start, end)
        if index > 0:
            clause.left = self._boundary(anchors[index - 1].end, change.start, found.own)[1]
        if index + 1 < len(anchors):
            clause.right = self._boundary(change.end, anchors[index + 1].start, found.own)[0]
        own = own_period(change, clause, found.own)
        if own is not None or self.periods.present_in(found, clause):
            return own
        return own_period(change, wide, found.own)

    def _complete_from_next(self, drafts: list[Draft], sentence: Span) -> None:
        """A change stated last in a sentence takes the figure of the next one when that
        sentence only gives it: "Trade rose 2.1 times in eight months. That is about $170
        million." is one fact, with the period of the first sentence."""
        if not drafts:
            return
        last = max(drafts, key=_anchor_start)
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
        last.sentences = self.context.doc[sentence.start : following.end]
        if last.modality == "target":
            last.target_kind = "level"
        self._given.add(amount.start)

    def _change_from_next(self, drafts: list[Draft], sentence: Span) -> None:
        """A figure stated last in a sentence takes the change of the next one when that
        sentence only gives it, of "the figure" or "this": "Trade reached $287.6 million in
        January-July. This is 21.4 percent more than a year earlier." is one fact."""
        if not drafts:
            return
        last = max(drafts, key=_anchor_start)
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
        last.sentences = self.context.doc[sentence.start : following.end]
        self._given_changes.add(change.start)

    def _fits(self, kind: Kind, amount: AmountMatch) -> bool:
        """Whether ``amount`` is counted in a unit facts of ``kind`` are."""
        unit = amount.unit
        if kind in MONEY_KINDS:
            return unit is None or unit in self.units.currencies
        return unit is not None and self.units.facts.get(unit) == kind


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


def _anchor_start(draft: Draft) -> int:
    anchor = draft.amount or draft.change
    return anchor.start if anchor is not None else -1


def _unclosed_bracket(text: str, start: int, end: int) -> int | None:
    """The last opening bracket of ``text[start:end]`` that is not closed there.

    >>> _unclosed_bracket("$5 million in 2018 ($2 million", 10, 20)
    19
    >>> _unclosed_bracket("$5 million (up 5%) in", 10, 21) is None
    True
    """
    depth = 0
    for position in range(end - 1, start - 1, -1):
        char = text[position]
        if char in ")]":
            depth += 1
        elif char in "([":
            if depth == 0:
                return position
            depth -= 1
    return None
