"""Who a figure belongs to: the countries of its clause, its reporter and direction.

Trade figures get a reporter and a partner (and, for exports and imports, the exporter and
importer); tourist flows an origin and destination; investments a source and recipient.
When the clause names too few countries, the article's country pair fills the gap.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Span

from kzaz_facts.extract.context import Anchor, Clause, DocumentContext, Parties, Place, nearest
from kzaz_facts.lexicon import Lexicon


class PartyFinder:
    """The parties of one document's figures, given its context and the word lists."""

    def __init__(self, context: DocumentContext, lexicon: Lexicon) -> None:
        self.context = context
        self.text = context.text
        self.lexicon = lexicon
        self.words = lexicon.words

    def bilateral(self, sentence: Span) -> bool:
        """ "bilateral", "between our countries": the figure is the pair's."""
        return self.lexicon.bilateral.search(sentence.text) is not None

    def trade(
        self,
        amount: Anchor,
        clause: Clause,
        sentence: Span,
        inherited: Parties | None,
        speaker_country: str | None,
    ) -> Parties:
        """``inherited``: the parties of the sentence's previous trade figure, if any."""
        context, words = self.context, self.words
        partner_words = words["partner"]
        left = context.places_in(clause.left, amount.start)
        right = [
            p
            for p in context.places_in(amount.end, min(clause.right, amount.end + 40))
            if p.before in words["partner_after"]
        ][:1]
        flow = self._flow(amount, clause, sentence)
        result = Parties(flow=flow)
        between = [p for p in left if p.before in words["pair_link"]]
        reporters = [p for p in left if p.before not in partner_words]
        partners = [p for p in left if p.before in partner_words] + right
        reporter = reporters[0].canonical if reporters else None
        partner = partners[-1].canonical if partners else None
        if inherited is not None and partner is None and len(left) == 1 and not left[0].possessive:
            # A list continues the first figure's reporter: "…, Russia ($27 billion)".
            reporter, partner = inherited.reporter, left[0].canonical
        if len(between) >= 2 and between[0].before == "between":
            reporter, partner = between[0].canonical, between[1].canonical
        if reporter is None and partner is not None:
            reporter = (inherited.reporter if inherited else None) or self._fallback_reporter(
                partner, speaker_country
            )
        if reporter is not None and partner is None and len(reporters) >= 2:
            partner = reporters[1].canonical
        if reporter is not None and partner is None and self.bilateral(sentence):
            partner = context.other(reporter)
        if reporter is None and partner is None:
            if inherited is not None:
                return inherited
            sentence_places = context.places_in(sentence.start_char, sentence.end_char)
            distinct = list(dict.fromkeys(p.canonical for p in sentence_places))
            if len(distinct) == 2:
                reporter, partner = distinct
            elif len(distinct) == 1:
                reporter, partner = distinct[0], context.other(distinct[0])
            else:
                pair = context.pair
                reporter, partner = (pair[0], pair[1]) if len(pair) == 2 else (None, None)
        names = [name for name in (reporter, partner) if name]
        result.parties = sorted(set(names))
        result.reporter = reporter
        if flow == "export":
            result.source, result.destination = self._direction(left + right, reporter, partner)
        elif flow == "import":
            importer, exporter = self._direction(left + right, reporter, partner)
            result.source, result.destination = exporter, importer
        return result

    def _flow(
        self, amount: Anchor, clause: Clause, sentence: Span
    ) -> Literal["turnover", "export", "import"]:
        """Export or import when the trade word nearest the figure says so."""
        trade = self.lexicon.facts["trade"]
        flow_word = nearest(trade, self.text, clause.left, amount.start, amount.start)
        if flow_word is None:
            flow_word = nearest(trade, self.text, sentence.start_char, amount.start, amount.start)
        if flow_word is not None:
            word = flow_word.group(0).lower()
            if word.startswith("export"):
                return "export"
            if word.startswith("import"):
                return "import"
        return "turnover"

    def _direction(
        self, places: list[Place], first: str | None, second: str | None
    ) -> tuple[str | None, str | None]:
        """(from, to) of an export/import clause: explicit "from X"/"to Y" beat subject order."""
        source = next((p.canonical for p in places if p.before in self.words["origin"]), None)
        target = next((p.canonical for p in places if p.before in self.words["destination"]), None)
        if source and target:
            return source, target
        if source:
            # "imports from Azerbaijan": the reporter receives.
            return first if first != source else second, source
        return first, second

    def _fallback_reporter(self, partner: str, speaker_country: str | None) -> str | None:
        if speaker_country and speaker_country != partner:
            return speaker_country
        return self.context.other(partner)

    def tourism(
        self, anchor: Anchor, clause: Clause, sentence: Span, inherited: Parties | None
    ) -> Parties:
        """Origin and destination of a tourist flow. ``inherited``: the parties of the
        sentence's previous tourist figure, whose destination a list item keeps ("tourists from
        Kazakhstan amounted to 4,352, Uzbekistan at 2,877")."""
        words = self.words
        places = self.context.places_in(clause.left, clause.right)
        between = [p for p in places if p.before in words["pair_link"]]
        if len(between) >= 2 and between[0].before == "between":
            # "tourist flow between Kazakhstan and Azerbaijan": both ways, no direction
            return Parties(parties=sorted({between[0].canonical, between[1].canonical}))
        every_origin = self.lexicon.any_origin.search(self.text, anchor.start, anchor.end)
        origins = [p for p in places if self.origin(p)]
        origin = _nearest_place(origins, anchor).canonical if origins else None
        destination = next(
            (
                p.canonical
                for p in places
                if p.before in words["visit_destination"]
                or self.lexicon.visited_after.match(self.text, p.end)
            ),
            None,
        )
        if origin is None and not every_origin:
            # a list item names its country bare: "…, Uzbekistan at 2,877", "Armenia - 4,300"
            bare = [
                p
                for p in places
                if p.end <= anchor.start and p.canonical != destination and not p.possessive
            ]
            listed = inherited is not None and inherited.source is not None
            if bare and (
                listed or self.lexicon.item_link.match(self.text, bare[-1].end, anchor.start)
            ):
                origin = bare[-1].canonical
                destination = destination or (inherited.destination if inherited else None)
        if every_origin:
            # "340,836 foreigners": every country, not the article's other one
            origin = None
        elif origin and not destination:
            destination = (inherited.destination if inherited else None) or self.context.other(
                origin
            )
        elif destination and not origin:
            origin = self.context.other(destination)
        if origin is None and destination is None and not every_origin:
            if inherited is not None and not places:
                return inherited  # "… 12,000 in 2016 and more than 15,000 in 2017"
            if self.bilateral(sentence):
                return Parties(parties=list(self.context.pair))
        return Parties(
            parties=sorted({n for n in (origin, destination) if n}),
            source=origin,
            destination=destination,
        )

    def origin(self, place: Place) -> bool:
        """ "from X", "Kazakh tourists", "citizens of X"."""
        if place.before in self.words["origin"] or place.norp:
            return True
        return (
            self.lexicon.origin_noun.search(self.text, max(0, place.start - 30), place.start)
            is not None
        )

    def investment(self, clause: Clause, sentence: Span) -> Parties:
        words = self.words
        places = self.context.places_in(clause.left, clause.right)
        source = next((p.canonical for p in places if p.before in words["origin"] or p.norp), None)
        recipient = next(
            (p.canonical for p in places if p.before in words["investment_destination"]), None
        )
        not_subject = words["partner"] | words["investment_destination"]
        subject = next(
            (p for p in places if p.before not in not_subject and not p.norp),
            None,
        )
        if subject is not None:
            verb = self.lexicon.investment_verbs.search(self.text, subject.end, clause.right)
            if verb is not None and self.lexicon.investor_verbs.fullmatch(verb.group(0)):
                source = source or subject.canonical
            elif recipient is None:
                recipient = subject.canonical
        if source is None and recipient is None and self.bilateral(sentence):
            return Parties(parties=list(self.context.pair))
        return Parties(
            parties=sorted({n for n in (source, recipient) if n}),
            source=source,
            destination=recipient,
        )


def _nearest_place(places: list[Place], anchor: Anchor) -> Place:
    """The place closest to the figure: "(from Kazakhstan: 225,124" beats an earlier "from
    Central Asian countries"."""
    return min(
        places,
        key=lambda p: anchor.start - p.end if p.end <= anchor.start else p.start - anchor.end,
    )
