"""Drafts -> records: one function per fact type, plus the entity mentions of a document.

Records are made with ``trusted`` (no validation): every value comes typed from the
document's matches (ints, strings, dates, the labels of the pipeline's own patterns), and
validating each record again cost more than drafting it. Lists are copied, as validation did.

Offsets in records are offsets into the file text: body offsets plus ``Document.body_start``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from spacy.tokens import Span

from kzaz_facts.extract.agreements import AgreementDraft
from kzaz_facts.extract.context import Draft, Sentence
from kzaz_facts.extract.entity_index import EntityIndex
from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.normalise import AmountMatch, ChangeMatch
from kzaz_facts.periods import PeriodMatch, resolve
from kzaz_facts.records import (
    AgreementAttributes,
    AgreementFact,
    CargoAttributes,
    CargoFact,
    Change,
    Document,
    Entity,
    Evidence,
    Fact,
    InvestmentAttributes,
    InvestmentFact,
    Original,
    Period,
    TouristAttributes,
    TouristFact,
    TradeAttributes,
    TradeFact,
    Value,
)
from kzaz_facts.trusted import trusted


def fact_id(doc_id: str, fact_type: str, start: int, end: int) -> str:
    """Stable across runs: a hash of the document, the fact type and the evidence offsets.

    >>> fact_id("a", "trade_turnover", 1, 5)
    '6f5057d89a9302d8'
    """
    key = f"{doc_id}|{fact_type}|{start}|{end}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


class RecordBuilder:
    """Turns drafts of one document into records; ``text`` is its body, ``document`` its file."""

    def __init__(self, document: Document, text: str) -> None:
        self.document = document
        self.text = text
        self.offset = document.body_start

    # -- pieces -----------------------------------------------------------------------------
    def evidence(self, sentence: Sentence, start: int, end: int) -> Evidence:
        offset = self.offset
        return trusted(
            Evidence,
            start=start + offset,
            end=end + offset,
            text=self.text[start:end],
            sentence=self.text[sentence.start_char : sentence.end_char],
            sentence_start=sentence.start_char + offset,
            sentence_end=sentence.end_char + offset,
        )

    def span(self, start: int, end: int) -> tuple[int, int]:
        return start + self.offset, end + self.offset

    def period(self, match: PeriodMatch, *, reported: bool = False) -> Period:
        """``reported``: the period of an actual figure, which ends by the document date."""
        document = self.document
        resolved = resolve(
            match,
            document.date,
            reference_inferred=document.date_source == "content",
            precision=document.date_precision or "day",
            reported=reported,
        )
        return trusted(
            Period,
            start=resolved.start,
            end=resolved.end,
            text=match.text,
            resolved=resolved.resolved,
            partial=resolved.partial,
            span=self.span(match.start, match.end),
        )

    def value(self, amount: AmountMatch) -> Value:
        # Only trade and investment figures may lack a unit (count units decide the kind).
        unit, inferred = (amount.unit, False) if amount.unit else ("USD", True)
        original = None
        if amount.original_amount is not None and amount.original_unit is not None:
            original = trusted(Original, amount=amount.original_amount, unit=amount.original_unit)
        return trusted(
            Value,
            amount=amount.amount,
            unit=unit,
            approximate=amount.approximate,
            qualifier=amount.qualifier,
            low=amount.low,
            high=amount.high,
            original=original,
            unit_inferred=inferred,
            text=amount.text,
            span=self.span(amount.start, amount.end),
        )

    def change(self, change: ChangeMatch) -> Change:
        return trusted(
            Change,
            percent=change.percent,
            multiplier=change.multiplier,
            low=change.low,
            high=change.high,
            approximate=change.approximate,
            text=change.text,
            span=self.span(change.start, change.end),
        )

    # -- facts ------------------------------------------------------------------------------
    def quantity(self, draft: Draft, sentence: Sentence, speaker: str | None) -> Fact:
        """The record of a quantitative draft, by its kind."""
        start = min(piece[0] for piece in draft.pieces)
        end = max(piece[1] for piece in draft.pieces)
        evidence = self.evidence(draft.sentences or sentence, start, end)
        period = None
        if draft.period is not None:
            period = self.period(draft.period, reported=draft.modality == "actual")
        horizon = period.text if period is not None and draft.modality == "target" else None
        common: dict[str, Any] = {
            "doc_id": self.document.doc_id,
            "content_hash": self.document.content_hash,
            "modality": draft.modality,
            "value": self.value(draft.amount) if draft.amount is not None else None,
            "change": self.change(draft.change) if draft.change is not None else None,
            "period": period,
            "parties": list(draft.parties.parties),  # a copy, as validation made
            "speaker": speaker,
            "evidence": evidence,
        }
        target = {"target_kind": draft.target_kind, "horizon": horizon}
        if draft.kind == "trade":
            return self.trade(draft, common, target)
        if draft.kind == "tourism":
            return self.tourism(draft, common, target)
        if draft.kind == "investment":
            return self.investment(draft, common, target)
        return self.cargo(draft, common, target)

    def _id(self, fact_type: str, evidence: Evidence) -> str:
        return fact_id(self.document.doc_id, fact_type, evidence.start, evidence.end)

    # Fields in the order the models declare them (``trusted`` then keeps the values as given).
    def trade(self, draft: Draft, common: dict[str, Any], target: dict[str, Any]) -> TradeFact:
        parties = draft.parties
        return trusted(
            TradeFact,
            id=self._id("trade_turnover", common["evidence"]),
            **common,
            type="trade_turnover",
            attributes=trusted(
                TradeAttributes,
                **target,
                scope=draft.scope,
                flow=parties.flow,
                exporter=parties.source,
                importer=parties.destination,
            ),
        )

    def tourism(self, draft: Draft, common: dict[str, Any], target: dict[str, Any]) -> TouristFact:
        parties = draft.parties
        return trusted(
            TouristFact,
            id=self._id("tourist_flow", common["evidence"]),
            **common,
            type="tourist_flow",
            attributes=trusted(
                TouristAttributes, **target, origin=parties.source, destination=parties.destination
            ),
        )

    def investment(
        self, draft: Draft, common: dict[str, Any], target: dict[str, Any]
    ) -> InvestmentFact:
        parties = draft.parties
        return trusted(
            InvestmentFact,
            id=self._id("investment", common["evidence"]),
            **common,
            type="investment",
            attributes=trusted(
                InvestmentAttributes, **target, source=parties.source, recipient=parties.destination
            ),
        )

    def cargo(self, draft: Draft, common: dict[str, Any], target: dict[str, Any]) -> CargoFact:
        return trusted(
            CargoFact,
            id=self._id("cargo_volume", common["evidence"]),
            **common,
            type="cargo_volume",
            attributes=trusted(CargoAttributes, **target, route=draft.route),
        )

    def agreement(
        self, draft: AgreementDraft, sentence: Sentence, speaker: str | None
    ) -> AgreementFact:
        """The evidence runs from the name to the action word when both are in the sentence."""
        start, end = draft.name_start, draft.name_end
        if draft.action_span is not None:
            start = min(start, draft.action_span[0])
            end = max(end, draft.action_span[1])
        evidence = self.evidence(sentence, start, end)
        return trusted(
            AgreementFact,
            id=self._id("agreement", evidence),
            doc_id=self.document.doc_id,
            content_hash=self.document.content_hash,
            period=self.period(draft.signed) if draft.signed else None,
            parties=list(draft.parties),
            speaker=speaker,
            evidence=evidence,
            attributes=trusted(
                AgreementAttributes,
                name=self.text[draft.name_start : draft.name_end],
                action=draft.action,
                kind=draft.kind,
                signatories=list(draft.signatories),
                place=draft.place,
                covers=draft.covers,
            ),
        )

    # -- entities ---------------------------------------------------------------------------
    def entities(
        self,
        ents: EntityIndex,
        amounts: list[AmountMatch],
        gazetteer: Gazetteer,
        currencies: frozenset[str],
    ) -> list[Entity]:
        """Every entity mention, and every figure as MONEY (a currency, or none) or QUANTITY."""
        doc_id = self.document.doc_id
        known: dict[str, dict[str, str | int | float | bool | None]] = {}
        found = [self._entity(ent, ents, gazetteer, known) for ent in ents.all]
        for amount in amounts:
            unit = amount.unit
            money = unit is None or unit in currencies
            attrs: dict[str, str | int | float | bool | None] = {
                "amount": amount.amount,
                "approximate": amount.approximate,
            }
            attrs["currency" if money else "unit"] = unit
            found.append(
                trusted(
                    Entity,
                    doc_id=doc_id,
                    label="MONEY" if money else "QUANTITY",
                    text=amount.text,
                    canonical=amount.text,
                    start=amount.start + self.offset,
                    end=amount.end + self.offset,
                    attrs=attrs,
                )
            )
        found.sort(key=lambda entity: (entity.start, entity.end, entity.label))
        return found

    def _entity(
        self,
        ent: Span,
        ents: EntityIndex,
        gazetteer: Gazetteer,
        known: dict[str, dict[str, str | int | float | bool | None]],
    ) -> Entity:
        """One entity mention; ``known``: the gazetteer's attributes of each canonical name
        met so far in the document (each mention gets a copy)."""
        canonical = ents.canonical(ent)
        listed = known.get(canonical)
        if listed is None:
            listed = known[canonical] = _listed_attributes(gazetteer, canonical)
        attrs = dict(listed)
        given = ents.attrs(ent)
        if given:
            attrs.update({k: v for k, v in given.items() if v})
        return trusted(
            Entity,
            doc_id=self.document.doc_id,
            label=ent.label_,
            text=ents.text(ent),
            canonical=canonical,
            start=ent.start_char + self.offset,
            end=ent.end_char + self.offset,
            attrs=attrs,
        )


def _listed_attributes(
    gazetteer: Gazetteer, canonical: str
) -> dict[str, str | int | float | bool | None]:
    """The kind, role and country the gazetteer gives ``canonical`` (those it has)."""
    row = gazetteer.attributes.get(canonical)
    if row is None:
        return {}
    pairs = (("kind", row.kind), ("role", row.role), ("country", row.country))
    return {k: v for k, v in pairs if v}
