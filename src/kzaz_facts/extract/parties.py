"""Who a figure belongs to: the countries of its clause, its reporter and direction.

Trade figures get a reporter and a partner (and, for exports and imports, the exporter and
importer); tourist flows an origin and destination; investments a source and recipient.
When the clause names too few countries, the article's country pair fills the gap.
"""

from __future__ import annotations

import re
from typing import Literal

from kzaz_facts.extract.context import (
    Anchor,
    Clause,
    DocumentContext,
    Parties,
    Place,
    Sentence,
    last_word,
    nearest,
)
from kzaz_facts.lexicon import Lexicon

_OF = re.compile(r"\s+of\b", re.IGNORECASE)


class PartyFinder:
    """The parties of one document's figures, given its context and the word lists."""

    def __init__(self, context: DocumentContext, lexicon: Lexicon) -> None:
        self.context = context
        self.text = context.text
        self.lexicon = lexicon
        self.words = lexicon.words
        # The parties of the last trade figure with both ends, and where: a partner named
        # without a reporter in the same paragraph is that figure's reporter's partner.
        self._named: tuple[int, Parties] | None = None

    def bilateral(self, sentence: Sentence) -> bool:
        """ "bilateral", "between our countries", "both sides": the figure is the pair's
        ("the countries of Central Asia" names others)."""
        return any(
            _OF.match(self.text, match.end()) is None
            for match in self.lexicon.bilateral.finditer(
                self.text, sentence.start_char, sentence.end_char
            )
        )

    def trade_places(self, start: int, end: int) -> list[Place]:
        """Countries and groups between ``start`` and ``end``; seas and regions trade with
        no one ("across the Caspian Sea", "the Caucasus")."""
        kind = self.context.gazetteer.kind
        return [p for p in self.context.places_in(start, end) if kind(p.canonical) != "region"]

    def trade(
        self,
        amount: Anchor,
        clause: Clause,
        sentence: Sentence,
        inherited: Parties | None,
        speaker_country: str | None,
    ) -> Parties:
        """``inherited``: the parties of the sentence's previous trade figure, if any."""
        context, words = self.context, self.words
        partner_words = words["partner"]
        left = self.trade_places(clause.left, amount.start)
        right = [
            p
            for p in self.trade_places(amount.end, min(clause.right, amount.end + 40))
            if self._lead(p) in words["partner_after"]
        ][:1]
        flow = self._flow(amount, clause, sentence)
        result = Parties(flow=flow)
        between = [p for p in left if self._lead(p) in words["pair_link"]]
        reporters = [p for p in left if self._lead(p) not in partner_words]
        partners = [p for p in left if self._lead(p) in partner_words] + right
        reporter = reporters[0].canonical if reporters else None
        partner = partners[-1].canonical if partners else None
        if inherited is not None and partner is None and len(left) == 1 and not left[0].possessive:
            # A list continues the first figure's reporter: "…, Russia ($27 billion)".
            reporter, partner = inherited.reporter, left[0].canonical
        if len(between) >= 2 and self._lead(between[0]) == "between":
            reporter, partner = between[0].canonical, between[1].canonical
        if reporter is None and partner is not None:
            reporter = (inherited.reporter if inherited else None) or self._fallback_reporter(
                partner, speaker_country, amount.start
            )
        if reporter is not None and partner is None and len(reporters) >= 2:
            partner = reporters[1].canonical
        if reporter is not None and partner is None and self.bilateral(sentence):
            partner = context.other(reporter)
        if reporter is None and partner is None:
            if inherited is not None:
                return inherited
            reporter, partner = self._unnamed(sentence)
        elif reporter is not None and partner is not None:
            self._named = (amount.start, Parties(reporter=reporter, parties=[reporter, partner]))
        if flow != "turnover":
            exporter, importer = self._direction(left + right, flow, reporter, partner)
            if exporter and importer and exporter != importer:
                # "imports from Kazakhstan to Azerbaijan" names both ends itself.
                reporter, partner = (
                    (importer, exporter) if flow == "import" else (exporter, importer)
                )
            result.source, result.destination = exporter, importer
        names = [name for name in (reporter, partner) if name]
        result.parties = sorted(set(names))
        result.reporter = reporter
        return result

    def _unnamed(self, sentence: Sentence) -> tuple[str | None, str | None]:
        """A figure whose clause names no country: the sentence's countries, else (unless the
        sentence names only a region) the article's pair: "the two countries", "both sides"."""
        sentence_places = self.trade_places(sentence.start_char, sentence.end_char)
        distinct = list(dict.fromkeys(p.canonical for p in sentence_places))
        if len(distinct) == 2:
            return distinct[0], distinct[1]
        if len(distinct) == 1:
            return distinct[0], self.context.other(distinct[0])
        region_only = not distinct and self.context.places_in(
            sentence.start_char, sentence.end_char
        )
        if region_only and not self.bilateral(sentence):
            return None, None  # "trade across the Caspian Sea": a region's, no country's
        pair = self.context.pair
        return (pair[0], pair[1]) if len(pair) == 2 else (None, None)

    def _named_in_paragraph(self, position: int) -> Parties | None:
        """The last named pair, when it was named in the paragraph of ``position``."""
        if self._named is None:
            return None
        start, parties = self._named
        return None if "\n\n" in self.text[start:position] else parties

    def _flow(
        self, amount: Anchor, clause: Clause, sentence: Sentence
    ) -> Literal["turnover", "export", "import"]:
        """Export or import when the trade or one-way word nearest before the figure says so
        ("exports to", "sold goods worth", "imports from"); "mutual supplies" stay turnover."""
        lexicon = self.lexicon
        flow_word = None
        for start in (clause.left, sentence.start_char):
            trade = nearest(lexicon.facts["trade"], self.text, start, amount.start, amount.start)
            one_way = nearest(lexicon.flow_words, self.text, start, amount.start, amount.start)
            flow_word = (
                one_way if trade is None or (one_way and one_way.end() > trade.start()) else trade
            )
            if flow_word is not None:
                break
        if flow_word is None or self._after_bilateral(flow_word.start()):
            return "turnover"
        word = flow_word.group(0)
        if lexicon.export_words.fullmatch(word):
            return "export"
        if lexicon.import_words.fullmatch(word):
            return "import"
        return "turnover"

    def _after_bilateral(self, position: int) -> bool:
        """ "mutual supplies", "bilateral exports and imports": both ways."""
        before = self.text[max(0, position - 20) : position]
        return any(m.end() >= len(before.rstrip()) for m in self.lexicon.bilateral.finditer(before))

    def _direction(
        self,
        places: list[Place],
        flow: Literal["turnover", "export", "import"],
        reporter: str | None,
        partner: str | None,
    ) -> tuple[str | None, str | None]:
        """(exporter, importer) of a one-way figure. Goods go "from X" "to Y" whichever the
        word; otherwise the reporter exports (or, for imports, receives) and the partner is
        the other end."""
        origin = next((p.canonical for p in places if self._lead(p) in self.words["origin"]), None)
        target = next(
            (p.canonical for p in places if self._lead(p) in self.words["destination"]), None
        )
        ends = [name for name in (reporter, partner) if name]
        if origin and not target:
            target = next((name for name in ends if name != origin), None)
        elif target and not origin:
            origin = next((name for name in ends if name != target), None)
        elif not origin and not target:
            origin, target = (reporter, partner) if flow == "export" else (partner, reporter)
        return origin, target

    def _fallback_reporter(
        self, partner: str, speaker_country: str | None, position: int
    ) -> str | None:
        """Whose trade with ``partner`` a figure is when the clause names only the partner:
        the speaker's country, else the country the paragraph's trade was last about
        ("Georgia's trade with the EU …; turnover with Kazakhstan …"), else the pair's other,
        else the country the article is mostly about."""
        if speaker_country and speaker_country != partner:
            return speaker_country
        named = self._named_in_paragraph(position)
        if named is not None and named.reporter not in (None, partner):
            return named.reporter
        other = self.context.other(partner)
        if other is None and self.context.focus != partner:
            return self.context.focus
        return other

    def tourism(
        self, anchor: Anchor, clause: Clause, sentence: Sentence, inherited: Parties | None
    ) -> Parties:
        """Origin and destination of a tourist flow. ``inherited``: the parties of the
        sentence's previous tourist figure, whose destination a list item keeps ("tourists from
        Kazakhstan amounted to 4,352, Uzbekistan at 2,877")."""
        words = self.words
        places = self.context.places_in(clause.left, clause.right)
        between = [p for p in places if self.context.before(p) in words["pair_link"]]
        if len(between) >= 2 and self.context.before(between[0]) == "between":
            # "tourist flow between Kazakhstan and Azerbaijan": both ways, no direction
            return Parties(parties=sorted({between[0].canonical, between[1].canonical}))
        every_origin = self.lexicon.any_origin.search(self.text, anchor.start, anchor.end)
        origins = [p for p in places if self.origin(p)]
        origin = _nearest_place(origins, anchor).canonical if origins else None
        destination = next(
            (
                p.canonical
                for p in places
                if self.context.before(p) in words["visit_destination"]
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
        if self.context.before(place) in self.words["origin"] or place.norp:
            return True
        return (
            self.lexicon.origin_noun.search(self.text, max(0, place.start - 30), place.start)
            is not None
        )

    def investment(
        self, amount: Anchor, clause: Clause, sentence: Sentence, inherited: Parties | None = None
    ) -> Parties:
        """Investor (source) and recipient of an investment figure. Places after the figure
        count only when a short "in"/"into"/"from"/"of" phrase ties them to it ("$40 million
        into Azerbaijan"), never from a later list ("… to finance projects in Bulgaria").
        ``inherited``: the parties of the sentence's previous investment figure, taken when
        this one's clause names no one ("$12.7 million ($5.1 million and $7.6 million)")."""
        words = self.words
        destination = words["investment_destination"]
        places = self.trade_places(clause.left, amount.start) + self._attached(amount, clause)
        if not places and inherited is not None and inherited.parties:
            return inherited
        recipients = [p for p in places if self._lead(p) in destination]
        recipient = recipients[0].canonical if recipients else None
        givers = [p for p in places if p not in recipients]
        source = next(
            (p.canonical for p in givers if self._lead(p) in words["origin"] or p.norp), None
        )
        joint = [p for p in givers if self._lead(p) in words["pair_link"]]
        if source is None and recipient is None and joint and len(givers) == 2:
            # "Azerbaijan and Kazakhstan will set up a fund of $500 million": both, no direction.
            return Parties(parties=sorted({p.canonical for p in givers}))
        not_subject = words["partner"] | destination
        subject = next((p for p in givers if self._lead(p) not in not_subject and not p.norp), None)
        if subject is not None:
            verb = self.lexicon.investment_verbs.search(self.text, subject.end, clause.right)
            if verb is not None and self.lexicon.investor_verbs.fullmatch(verb.group(0)):
                source = source or subject.canonical
            elif recipient is None:
                recipient = subject.canonical
        if source == recipient:
            source = None
        if source is None and recipient is None and self.bilateral(sentence):
            return Parties(parties=list(self.context.pair))
        if source is not None and recipient is None and self._receives_too(source, sentence):
            # "Azerbaijan invested $12.7 million, while Kazakhstan invested $75.7 million in
            # Azerbaijan": the two directions of the pair, contrasted.
            recipient = self.context.other(source)
        return Parties(
            parties=sorted({n for n in (source, recipient) if n}),
            source=source,
            destination=recipient,
        )

    def _receives_too(self, source: str, sentence: Sentence) -> bool:
        """Whether the sentence names ``source`` as a recipient too ("… in Azerbaijan")."""
        destination = self.words["investment_destination"]
        return any(
            p.canonical == source and self._lead(p) in destination
            for p in self.trade_places(sentence.start_char, sentence.end_char)
        )

    def _attached(self, amount: Anchor, clause: Clause) -> list[Place]:
        """The place a short phrase after the figure ties to it: "$40 million into Azerbaijan",
        "$69.7 million of Azerbaijani investment", "$114 million in the economy of Kazakhstan"."""
        after = self.trade_places(amount.end, min(clause.right, amount.end + 40))[:1]
        if not after:
            return []
        gap = self.text[amount.end : after[0].start]
        first = gap.split()[0].lower() if gap.split() else ""
        tied = self.words["investment_destination"] | self.words["origin"] | {"of"}
        if "," in gap or first not in tied:
            return []
        return after

    def _lead(self, place: Place) -> str:
        """The word that leads to ``place`` past "the", "economy of" and the like."""
        position = place.start
        while True:
            found = last_word(self.text, position)
            if found is None or found[0] not in self.words["lead_skip"]:
                return found[0] if found is not None else ""
            position = found[1]


def _nearest_place(places: list[Place], anchor: Anchor) -> Place:
    """The place closest to the figure: "(from Kazakhstan: 225,124" beats an earlier "from
    Central Asian countries"."""
    return min(
        places,
        key=lambda p: anchor.start - p.end if p.end <= anchor.start else p.start - anchor.end,
    )
