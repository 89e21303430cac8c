"""Doc + Document -> typed fact records and entity mentions.

The pipeline has already tagged entities (gazetteer and titled people) and found every
amount and change of the body. Extraction works sentence by sentence over a read-only
``DocumentContext``: first the speaker of each sentence (``speakers``), then the drafts of
its quantitative facts (``quantities``, which asks ``parties`` who they belong to) and its
agreements (``agreements``); ``build`` turns drafts into records.
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc

from kzaz_facts.extract.agreement_merge import Seen, merge_agreement
from kzaz_facts.extract.agreements import AgreementFinder
from kzaz_facts.extract.build import RecordBuilder, fact_id
from kzaz_facts.extract.context import DocumentContext, Draft
from kzaz_facts.extract.period_context import PeriodCues
from kzaz_facts.extract.quantities import QuantityFinder
from kzaz_facts.extract.speakers import assign_speakers, role_phrase
from kzaz_facts.records import Document, Entity, Fact
from kzaz_facts.tables import Tables

__all__ = ["Extractor", "fact_id"]


class Extractor:
    """Turns one processed document into fact records and entity mentions."""

    def __init__(self, tables: Tables | Path | str | None = None) -> None:
        """``tables``: the tables an ``Engine`` read, or a data directory to read them from."""
        if not isinstance(tables, Tables):
            tables = Tables(tables)
        self.lexicon = tables.lexicon
        self.gazetteer = tables.gazetteer
        self.normaliser = tables.normaliser
        self.units = tables.normaliser.units
        self.currency_names = tables.normaliser.currency_names
        self.when_words = tables.periods.when_words
        self.today = next(iter(tables.periods.find("today")), None)
        self.role_phrase = role_phrase(self.lexicon.people.titles)
        self.period_cues = PeriodCues(self.lexicon)

    def extract(self, document: Document, doc: Doc) -> tuple[list[Fact], list[Entity]]:
        context = DocumentContext(document, doc, self.gazetteer, self.currency_names)
        builder = RecordBuilder(document, context.text)
        entities = builder.entities(
            context.ents, context.amounts, self.gazetteer, self.units.currencies
        )
        offset = document.body_start
        places = [
            entity
            for entity in entities
            if (entity.start - offset, entity.end - offset) not in context.currency_words
        ]
        return self._facts(context, builder), places

    def _facts(self, context: DocumentContext, builder: RecordBuilder) -> list[Fact]:
        lexicon = self.lexicon
        speakers = assign_speakers(context, lexicon, self.role_phrase)
        quantities = QuantityFinder(
            context, lexicon, self.units, self.normaliser, self.period_cues
        )
        agreements = AgreementFinder(context, lexicon, self.when_words, self.today)
        stop_words = lexicon.words["name_stop"]
        records: list[Fact] = []
        merged: Seen = []
        for sentence, speaker in zip(context.sentences, speakers, strict=True):
            # A quiet sentence drafts nothing and changes no state (``QuantityFinder.drafts``):
            # most sentences are, and are passed over here before the speaker's country.
            quiet = context.quiet(sentence)
            for draft in [] if quiet else quantities.drafts(sentence, self._country_of(speaker)):
                if draft.kind == "tourism" and not _pair_tourism(draft, context.pair):
                    continue
                records.append(builder.quantity(draft, sentence, speaker))
            for found in agreements.drafts(sentence):
                fact = builder.agreement(found, sentence, speaker)
                merge_agreement(merged, fact, stop_words, found.group)
        records.extend(fact for _, fact, _ in merged)
        records.sort(key=lambda fact: (fact.doc_id, fact.evidence.start, fact.type))
        return records

    def _country_of(self, speaker: str | None) -> str | None:
        row = self.gazetteer.attributes.get(speaker) if speaker else None
        return row.country if row else None


def _pair_tourism(draft: Draft, pair: list[str]) -> bool:
    """Whether a tourist figure is the article's pair's. Real articles list visitors from
    several countries, regional aggregates ("from Central Asian countries") and totals of
    all foreigners right beside the pair's figure; those are not facts of the pair, and are
    left out rather than kept under parties a user filtering the pair would never ask for."""
    parties = draft.parties
    named = set(parties.parties)
    both = len(named) == 2  # "tourist flow between X and Y": no direction, both sides named
    if len(pair) != 2:
        return parties.source is not None or both
    return bool(named) and named <= set(pair) and (parties.source is not None or both)
